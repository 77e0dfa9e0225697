#include "schedule/schedule_expression.h"

#include <cctype>

#include "common/duration.h"

namespace brewline::schedule {
namespace {

Status RateError(std::string_view text, size_t index, const std::string& reason) {
  return InvalidArgument("invalid schedule expression '" + std::string(text) + "' at position " +
                         std::to_string(index + 1) + ": " + reason);
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

Result<ScheduleExpression> ScheduleExpression::Parse(std::string_view text) {
  ScheduleExpression out;
  out.text_ = std::string(text);
  if (text.rfind("cron(", 0) == 0) {
    ASSIGN_OR_RETURN(CronExpression cron, CronExpression::Parse(text));
    out.kind_ = Kind::kCron;
    out.cron_ = std::make_shared<const CronExpression>(std::move(cron));
    return out;
  }
  if (text.rfind("rate(", 0) != 0) {
    return RateError(text, 0, "expected rate(value unit) or cron(minutes hours day-of-month month day-of-week year)");
  }
  if (text.back() != ')') return RateError(text, text.size(), "a rate expression ends with ')'");
  size_t i = 5;
  const size_t end = text.size() - 1;
  size_t value_begin = i;
  while (i < end && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == value_begin) return RateError(text, value_begin, "expected a positive integer value");
  if (i - value_begin > 9) return RateError(text, value_begin, "value is too large");
  int64_t value = std::stoll(std::string(text.substr(value_begin, i - value_begin)));
  if (value < 1) return RateError(text, value_begin, "the value must be a positive integer");
  if (i >= end || text[i] != ' ') return RateError(text, i, "expected one space between the value and the unit");
  ++i;
  std::string_view unit = text.substr(i, end - i);
  int64_t unit_ms = 0;
  bool plural = !unit.empty() && unit.back() == 's';
  std::string_view stem = plural ? unit.substr(0, unit.size() - 1) : unit;
  if (stem == "minute") unit_ms = 60000;
  else if (stem == "hour") unit_ms = 3600000;
  else if (stem == "day") unit_ms = 86400000;
  else return RateError(text, i, "unit must be minute, minutes, hour, hours, day or days");
  if (value == 1 && plural) {
    return RateError(text, i, "a value of 1 takes the singular unit '" + std::string(stem) + "'");
  }
  if (value != 1 && !plural) {
    return RateError(text, i, "a value other than 1 takes the plural unit '" + std::string(stem) + "s'");
  }
  out.kind_ = Kind::kRate;
  out.period_ms_ = value * unit_ms;
  return out;
}

Result<ScheduleExpression> ScheduleExpression::Every(std::chrono::milliseconds period) {
  if (period.count() < 1) return InvalidArgument("a schedule period must be at least 1ms");
  ScheduleExpression out;
  out.kind_ = Kind::kEvery;
  out.period_ms_ = period.count();
  out.text_ = "every(" + FormatDuration(period) + ")";
  return out;
}

std::optional<std::chrono::milliseconds> ScheduleExpression::period() const {
  if (kind_ == Kind::kCron) return std::nullopt;
  return std::chrono::milliseconds(period_ms_);
}

std::optional<int64_t> ScheduleExpression::NextFireTime(int64_t after_ms, int64_t anchor_ms) const {
  if (kind_ == Kind::kCron) return cron_->NextFireTime(after_ms);
  return anchor_ms + (FloorDiv(after_ms - anchor_ms, period_ms_) + 1) * period_ms_;
}

}  // namespace brewline::schedule
