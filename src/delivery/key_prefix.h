// Firehose's custom prefixes: `!{timestamp:<DateTimeFormatter pattern>}`, `!{firehose:random-string}` and
// `!{firehose:error-output-type}`, evaluated in UTC; and object names
// `<delivery>-<version>-<YYYY-MM-dd-HH-mm-ss>-<uuid>[.gz]`.
//
// Supported pattern letters (Java DateTimeFormatter subset): yyyy/uuuu (year), yy (2-digit year), MM/M, dd/d,
// HH/H, mm/m, ss/s, SSS (millis; S..SSS as fractions), text in '…' quotes ('' is a quote); other non-letters
// are literal. Any other letter is refused so a typo never silently yields a wrong key.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::delivery {

class KeyPrefix {
 public:
  // Parses a prefix. Per Firehose, a prefix with no timestamp expression gets `!{timestamp:yyyy/MM/dd/HH/}`
  // appended (so "" means `YYYY/MM/dd/HH/`). error-output-type is only allowed when `is_error_prefix`.
  static Result<KeyPrefix> Parse(std::string_view prefix, bool is_error_prefix);

  // The prefix for records whose oldest arrival is `timestamp_ms`. `error_output_type` fills
  // !{firehose:error-output-type} (e.g. "processing-failed"); `rng` feeds random-string (11 characters).
  std::string Evaluate(int64_t timestamp_ms, std::string_view error_output_type, std::mt19937_64& rng) const;

  bool uses_expressions() const { return uses_expressions_; }
  bool has_error_output_type() const { return has_error_output_type_; }

 private:
  enum class Kind { kLiteral, kTimestamp, kRandom, kErrorType };
  struct Part {
    Kind kind;
    std::string text;  // literal text, or the timestamp pattern
  };
  std::vector<Part> parts_;
  bool uses_expressions_ = false;
  bool has_error_output_type_ = false;
};

// Formats epoch milliseconds (UTC) with a DateTimeFormatter pattern (subset above); InvalidArgument on an
// unsupported letter or an unterminated quote.
Result<std::string> FormatTimestamp(std::string_view pattern, int64_t epoch_ms);
Status ValidateTimestampPattern(std::string_view pattern);

// `<delivery>-<version>-<YYYY-MM-dd-HH-mm-ss>-<uuid>` (+ ".gz" when gzip), time in UTC.
std::string ObjectName(std::string_view delivery, int version, int64_t timestamp_ms, std::string_view uuid, bool gzip);

}  // namespace brewline::delivery
