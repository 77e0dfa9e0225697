#include "common/duration.h"

#include <cctype>
#include <cstdint>
#include <limits>

namespace brewline {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto bad = [&](std::string why) {
    return InvalidArgument("invalid duration '" + std::string(text) + "': " + why +
                           " (write e.g. 500ms, 1s, 5m, 2h, 1d or 1m30s)");
  };
  if (text.empty()) return bad("empty");
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return bad("expected a number at position " + std::to_string(i + 1));
    int64_t value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (value > std::numeric_limits<int64_t>::max() / 10 - 10) return bad("too large");
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    int64_t scale;
    if (unit == "ms") scale = 1;
    else if (unit == "s") scale = 1000;
    else if (unit == "m") scale = 60 * 1000;
    else if (unit == "h") scale = 3600 * 1000;
    else if (unit == "d") scale = 24 * 3600 * 1000;
    else if (unit.empty()) return bad("missing unit after " + std::to_string(value));
    else return bad("unknown unit '" + std::string(unit) + "'");
    if (value > std::numeric_limits<int64_t>::max() / scale - total) return bad("too large");
    total += value * scale;
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  struct Unit {
    int64_t scale;
    const char* suffix;
  };
  static constexpr Unit kUnits[] = {{24 * 3600 * 1000, "d"}, {3600 * 1000, "h"}, {60 * 1000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const Unit& u : kUnits) {
    if (ms >= u.scale) {
      out += std::to_string(ms / u.scale) + u.suffix;
      ms %= u.scale;
    }
  }
  return out;
}

}  // namespace brewline
