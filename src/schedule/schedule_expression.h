// Schedule expressions as EventBridge defines them — rate(N unit) and cron(…) — plus a sub-minute
// "every" period that only the local scheduler offers (for demos and tests; it has no EventBridge spelling).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "schedule/cron_expression.h"

namespace brewline::schedule {

// Immutable, cheap to copy, thread-safe.
class ScheduleExpression {
 public:
  enum class Kind { kRate, kCron, kEvery };

  // rate(value unit): value a positive integer, unit minute|minutes|hour|hours|day|days, singular exactly when
  // value is 1. cron(…): see cron_expression.h. Errors are InvalidArgument with the position and the reason.
  static Result<ScheduleExpression> Parse(std::string_view text);
  // A fixed period of at least 1 ms (e.g. from --every 200ms).
  static Result<ScheduleExpression> Every(std::chrono::milliseconds period);

  Kind kind() const { return kind_; }
  // The expression as written ("rate(5 minutes)", "cron(0 12 * * ? *)", or "every(200ms)").
  const std::string& text() const { return text_; }
  // The fixed period of a rate or every schedule; nullopt for cron.
  std::optional<std::chrono::milliseconds> period() const;

  // The first fire time strictly after `after_ms`. Periodic schedules (rate, every) fire at
  // anchor_ms + k·period — EventBridge counts a rate from when the rule is created, so pass that moment;
  // cron ignores the anchor. nullopt when a cron has no fire time left (after 2199).
  std::optional<int64_t> NextFireTime(int64_t after_ms, int64_t anchor_ms = 0) const;

 private:
  Kind kind_ = Kind::kRate;
  std::string text_;
  int64_t period_ms_ = 0;
  std::shared_ptr<const CronExpression> cron_;
};

}  // namespace brewline::schedule
