#include "delivery/key_prefix.h"

#include <cstdio>

#include "common/time_util.h"

namespace brewline::delivery {

namespace {

void AppendPadded(std::string* out, int64_t value, size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) out->append(width - digits.size(), '0');
  out->append(digits);
}

// Walks a pattern, calling `field(letter, count)` for letter runs and `literal(text)` for the rest.
template <typename Field, typename Literal>
Status WalkPattern(std::string_view pattern, Field field, Literal literal) {
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal(std::string_view("'"));
        i += 2;
        continue;
      }
      size_t end = i + 1;
      std::string text;
      for (;;) {
        if (end >= pattern.size()) return InvalidArgument("timestamp pattern '" + std::string(pattern) + "': unterminated quote");
        if (pattern[end] == '\'') {
          if (end + 1 < pattern.size() && pattern[end + 1] == '\'') {
            text += '\'';
            end += 2;
            continue;
          }
          break;
        }
        text += pattern[end++];
      }
      literal(std::string_view(text));
      i = end + 1;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      size_t run = i;
      while (run < pattern.size() && pattern[run] == c) ++run;
      RETURN_IF_ERROR(field(c, run - i, pattern));
      i = run;
      continue;
    }
    literal(pattern.substr(i, 1));
    ++i;
  }
  return Status::OK();
}

Status AppendField(std::string* out, const UtcTime& t, char letter, size_t count, std::string_view pattern) {
  auto bad = [&] {
    return InvalidArgument("timestamp pattern '" + std::string(pattern) + "': unsupported field '" +
                           std::string(count, letter) + "' (supported: yyyy yy MM dd HH mm ss SSS)");
  };
  switch (letter) {
    case 'y':
    case 'u':
      if (count == 2) {
        AppendPadded(out, t.year % 100, 2);
      } else {
        AppendPadded(out, t.year, count);
      }
      return Status::OK();
    case 'M':
      if (count > 2) return bad();
      AppendPadded(out, t.month, count);
      return Status::OK();
    case 'd':
      if (count > 2) return bad();
      AppendPadded(out, t.day, count);
      return Status::OK();
    case 'H':
      if (count > 2) return bad();
      AppendPadded(out, t.hour, count);
      return Status::OK();
    case 'm':
      if (count > 2) return bad();
      AppendPadded(out, t.minute, count);
      return Status::OK();
    case 's':
      if (count > 2) return bad();
      AppendPadded(out, t.second, count);
      return Status::OK();
    case 'S': {
      if (count > 3) return bad();
      std::string ms;
      AppendPadded(&ms, t.millis, 3);
      out->append(ms.substr(0, count));
      return Status::OK();
    }
    default:
      return bad();
  }
}

}  // namespace

Result<std::string> FormatTimestamp(std::string_view pattern, int64_t epoch_ms) {
  UtcTime t = ToUtc(epoch_ms);
  std::string out;
  RETURN_IF_ERROR(WalkPattern(
      pattern, [&](char c, size_t n, std::string_view p) { return AppendField(&out, t, c, n, p); },
      [&](std::string_view text) { out.append(text); }));
  return out;
}

Status ValidateTimestampPattern(std::string_view pattern) {
  if (pattern.empty()) return InvalidArgument("empty !{timestamp:} pattern");
  return FormatTimestamp(pattern, 0).status();
}

Result<KeyPrefix> KeyPrefix::Parse(std::string_view prefix, bool is_error_prefix) {
  if (prefix.size() > 512) return InvalidArgument("prefix longer than 512 characters");
  KeyPrefix out;
  bool has_timestamp = false;
  size_t i = 0;
  std::string literal;
  auto flush_literal = [&] {
    if (!literal.empty()) out.parts_.push_back(Part{Kind::kLiteral, std::move(literal)});
    literal.clear();
  };
  while (i < prefix.size()) {
    if (prefix.compare(i, 2, "!{") != 0) {
      literal += prefix[i++];
      continue;
    }
    size_t close = prefix.find('}', i);
    if (close == std::string_view::npos) {
      return InvalidArgument("prefix '" + std::string(prefix) + "': unterminated '!{' expression");
    }
    std::string_view expr = prefix.substr(i + 2, close - i - 2);
    flush_literal();
    out.uses_expressions_ = true;
    if (expr.rfind("timestamp:", 0) == 0) {
      std::string_view pattern = expr.substr(10);
      RETURN_IF_ERROR(ValidateTimestampPattern(pattern));
      out.parts_.push_back(Part{Kind::kTimestamp, std::string(pattern)});
      has_timestamp = true;
    } else if (expr == "firehose:random-string") {
      out.parts_.push_back(Part{Kind::kRandom, {}});
    } else if (expr == "firehose:error-output-type") {
      if (!is_error_prefix) {
        return InvalidArgument("prefix '" + std::string(prefix) +
                               "': !{firehose:error-output-type} is only allowed in the error output prefix");
      }
      out.parts_.push_back(Part{Kind::kErrorType, {}});
      out.has_error_output_type_ = true;
    } else {
      return InvalidArgument("prefix '" + std::string(prefix) + "': unknown expression '!{" + std::string(expr) +
                             "}' (supported: timestamp:<pattern>, firehose:random-string, firehose:error-output-type)");
    }
    i = close + 1;
  }
  flush_literal();
  if (!has_timestamp) out.parts_.push_back(Part{Kind::kTimestamp, "yyyy/MM/dd/HH/"});
  return out;
}

std::string KeyPrefix::Evaluate(int64_t timestamp_ms, std::string_view error_output_type, std::mt19937_64& rng) const {
  static const char* kAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out;
  for (const Part& part : parts_) {
    switch (part.kind) {
      case Kind::kLiteral:
        out += part.text;
        break;
      case Kind::kTimestamp:
        out += FormatTimestamp(part.text, timestamp_ms).value_or("");  // validated in Parse
        break;
      case Kind::kRandom:
        for (int k = 0; k < 11; ++k) out += kAlphabet[rng() % 62];
        break;
      case Kind::kErrorType:
        out += error_output_type;
        break;
    }
  }
  return out;
}

std::string ObjectName(std::string_view delivery, int version, int64_t timestamp_ms, std::string_view uuid, bool gzip) {
  UtcTime t = ToUtc(timestamp_ms);
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02d-%02d-%02d-%02d", t.year, t.month, t.day, t.hour, t.minute, t.second);
  std::string out(delivery);
  out += '-';
  out += std::to_string(version);
  out += '-';
  out += stamp;
  out += '-';
  out += uuid;
  if (gzip) out += ".gz";
  return out;
}

}  // namespace brewline::delivery
