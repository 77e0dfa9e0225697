// The beer record: a Punk API v2 beer reduced to the cleaned schema (beer/schema.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::beer {

struct CleanedBeer {
  int64_t id = 0;
  std::string name;
  std::optional<double> abv, ibu, target_fg, target_og, ebc, srm, ph;

  bool operator==(const CleanedBeer&) const = default;
};

// Parses one Punk API v2 beer (a JSON object). `id` must be an integer >= 1, `name` a non-empty string, the
// seven measures numbers or null (absent counts as null). Any other shape is InvalidArgument naming the field
// and what was wrong, e.g. "field 'abv': expected a number or null, got string".
// A BeerParser reuses its buffers; keep one per thread on hot paths. Not thread-safe.
class BeerParser {
 public:
  BeerParser();
  ~BeerParser();
  BeerParser(const BeerParser&) = delete;
  BeerParser& operator=(const BeerParser&) = delete;

  // Copies `json` into a reused padded buffer (no allocation once warm), then parses.
  Result<CleanedBeer> Parse(std::string_view json);
  // Parses in place without copying when the caller's buffer has at least kPadding readable bytes after the
  // JSON (capacity >= json.size() + kPadding, e.g. a std::string's capacity()); otherwise behaves as Parse.
  Result<CleanedBeer> ParsePadded(std::string_view json, size_t capacity);
  static const size_t kPadding;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience for cold paths.
Result<CleanedBeer> ParseBeer(std::string_view json);

// Appends the beer as one RFC 4180 CSV line in schema order, terminated by "\n" (see beer/csv.h for rules).
void AppendCsvLine(std::string* out, const CleanedBeer& beer);
std::string ToCsvLine(const CleanedBeer& beer);

}  // namespace brewline::beer
