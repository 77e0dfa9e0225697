// UTC calendar helpers shared by logs, object keys and schedules. No time zones other than UTC exist here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline {

struct UtcTime {
  int year;
  int month;   // 1-12
  int day;     // 1-31
  int hour;    // 0-23
  int minute;  // 0-59
  int second;  // 0-59
  int millis;  // 0-999
  int weekday;  // 0 = Sunday … 6 = Saturday
};

UtcTime ToUtc(int64_t epoch_ms);
// Epoch milliseconds of a UTC calendar time (fields may be out of range and are normalised, as timegm does).
int64_t FromUtc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int millis = 0);
int DaysInMonth(int year, int month);
// "2026-11-27T07:19:15Z" (seconds) or with ".123" when millis=true.
std::string FormatIso8601(int64_t epoch_ms, bool millis = false);
// Accepts "2026-11-27", "2026-11-27T07:19", "…:15", "…:15.123", each optionally with "Z" or "+00:00".
Result<int64_t> ParseIso8601(std::string_view text);

}  // namespace brewline
