// EventBridge cron expressions: cron(Minutes Hours Day-of-month Month Day-of-week Year), evaluated in UTC.
//
// Fields and wildcards (as EventBridge documents them):
//   Minutes 0-59 and Hours 0-23 with , - * /
//   Day-of-month 1-31 with , - * ? / L W   (L = last day, L-n = n days before it, nW = weekday nearest day n
//                                           within the month, LW = last weekday)
//   Month 1-12 or JAN-DEC with , - * /
//   Day-of-week 1-7 or SUN-SAT (1 = SUN) with , - * ? L #   (L alone = 7/SAT, nL = last day n of the month,
//                                           n#k = k-th day n of the month, k 1-5)
//   Year 1970-2199 with , - * /
// Exactly one of Day-of-month and Day-of-week is '?'. Names are case-insensitive. A range must not wrap
// (start <= end). `a/s` means a, a+s, … up to the field's maximum; `*/s` starts at the minimum.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace brewline::schedule {

// A parsed cron expression. Immutable, cheap to copy, thread-safe.
class CronExpression {
 public:
  // `text` is the whole expression including "cron(" and ")". Errors are InvalidArgument naming the
  // 1-based character position in `text` and the reason: "… at position 17: year 1969 is out of range …".
  static Result<CronExpression> Parse(std::string_view text);

  // The first fire time strictly after `after_ms` (always a whole UTC minute), or nullopt when there is
  // none up to the end of 2199.
  std::optional<int64_t> NextFireTime(int64_t after_ms) const;

 private:
  friend class CronParser;
  // Bit i set = value (min + i) is allowed.
  std::vector<bool> minutes_, hours_, dom_, months_, dow_, years_;
  bool dom_any_ = false;  // day-of-month is '?': days come from day-of-week
  // Day-of-month specials.
  std::vector<int> last_day_offsets_;  // L (0), L-n (n)
  bool last_weekday_ = false;          // LW
  std::vector<int> nearest_weekday_;   // nW
  // Day-of-week specials (day 1-7).
  std::vector<int> last_dow_;                 // nL
  std::vector<std::pair<int, int>> nth_dow_;  // (day, k) for day#k

  // Bit d (1-31) set = day d of (year, month) fires (before hours/minutes).
  std::vector<bool> MatchingDays(int year, int month) const;
};

}  // namespace brewline::schedule
