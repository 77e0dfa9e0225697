#include "common/time_util.h"

#include <cstdio>

namespace brewline {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public-domain algorithms).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int* y, int* m, int* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = static_cast<int>(yy + (*m <= 2));
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

UtcTime ToUtc(int64_t epoch_ms) {
  UtcTime t{};
  int64_t days = FloorDiv(epoch_ms, 86400000);
  int64_t rem = epoch_ms - days * 86400000;
  CivilFromDays(days, &t.year, &t.month, &t.day);
  t.hour = static_cast<int>(rem / 3600000);
  t.minute = static_cast<int>(rem / 60000 % 60);
  t.second = static_cast<int>(rem / 1000 % 60);
  t.millis = static_cast<int>(rem % 1000);
  t.weekday = static_cast<int>((days % 7 + 11) % 7);  // 1970-01-01 was a Thursday (4)
  return t;
}

int64_t FromUtc(int year, int month, int day, int hour, int minute, int second, int millis) {
  // Normalise the month first so DaysFromCivil gets 1-12; days, hours… may overflow freely.
  int64_t y = year + FloorDiv(month - 1, 12);
  int m = static_cast<int>(month - 1 - FloorDiv(month - 1, 12) * 12) + 1;
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(m), 1) + (day - 1);
  return ((days * 24 + hour) * 60 + minute) * 60000 + static_cast<int64_t>(second) * 1000 + millis;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) return 29;
  return kDays[month - 1];
}

std::string FormatIso8601(int64_t epoch_ms, bool millis) {
  UtcTime t = ToUtc(epoch_ms);
  char buf[40];
  if (millis) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.year, t.month, t.day, t.hour, t.minute,
                  t.second, t.millis);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day, t.hour, t.minute,
                  t.second);
  }
  return buf;
}

Result<int64_t> ParseIso8601(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("invalid ISO 8601 time '" + std::string(text) + "': " + why +
                           " (write e.g. 2026-11-27T07:15:00Z)");
  };
  size_t pos = 0;
  auto digits = [&](int n, int* out) {
    if (pos + n > text.size()) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    pos += n;
    return true;
  };
  auto expect = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  if (!digits(4, &y) || !expect('-') || !digits(2, &mo) || !expect('-') || !digits(2, &d)) return bad("expected YYYY-MM-DD");
  if (mo < 1 || mo > 12) return bad("month out of range");
  if (d < 1 || d > DaysInMonth(y, mo)) return bad("day out of range");
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    ++pos;
    if (!digits(2, &h) || !expect(':') || !digits(2, &mi)) return bad("expected hh:mm after T");
    if (expect(':')) {
      if (!digits(2, &s)) return bad("expected seconds");
      if (expect('.')) {
        int frac = 0, n = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (n < 3) frac = frac * 10 + (text[pos] - '0');
          ++n;
          ++pos;
        }
        if (n == 0) return bad("expected fraction digits");
        for (int i = n; i < 3; ++i) frac *= 10;
        ms = frac;
      }
    }
    if (h > 23 || mi > 59 || s > 59) return bad("time of day out of range");
  }
  if (pos < text.size()) {
    std::string_view rest = text.substr(pos);
    if (rest != "Z" && rest != "+00:00" && rest != "+0000") return bad("only UTC (Z) is accepted");
  }
  return FromUtc(y, mo, d, h, mi, s, ms);
}

}  // namespace brewline
