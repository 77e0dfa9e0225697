#include "schedule/scheduler.h"

#include <algorithm>

#include "common/log.h"
#include "common/time_util.h"
#include "common/uuid.h"

namespace brewline::schedule {

Scheduler::Scheduler(Clock& clock, ScheduleExpression schedule, Job job, SchedulerOptions options)
    : clock_(clock), schedule_(std::move(schedule)), job_(std::move(job)), options_(std::move(options)) {}

SchedulerStats Scheduler::stats() const {
  SchedulerStats s;
  s.runs = runs_.load();
  s.failures = failures_.load();
  s.catch_ups = catch_ups_.load();
  s.missed_periods = missed_periods_.load();
  s.last_scheduled_ms = last_scheduled_ms_.load();
  s.next_fire_ms = next_fire_ms_.load();
  return s;
}

void Scheduler::Fire(int64_t scheduled_ms, bool catch_up, uint64_t missed) {
  last_scheduled_ms_ = scheduled_ms;
  if (catch_up) {
    catch_ups_++;
    missed_periods_ += missed;
    log::Warn("schedule.catch_up", {{"scheduled", FormatIso8601(scheduled_ms, true)},
                                    {"missed_periods", static_cast<unsigned long long>(missed)}});
  }
  std::string event = BuildScheduledEvent(options_.event, scheduled_ms, NewUuid());
  Status st = job_(event);
  runs_++;
  if (!st.ok()) {
    failures_++;
    log::Warn("schedule.job_failed", {{"rule", options_.event.rule_name}, {"reason", st.ToString()}});
  }
}

void Scheduler::Run(const StopSignal& stop) {
  const int64_t anchor = clock_.NowMillis();
  log::Info("schedule.start", {{"rule", options_.event.rule_name}, {"schedule", schedule_.text()}});
  int64_t last = anchor;  // the latest scheduled time handled
  if (options_.run_at_start && !stop.stop_requested()) Fire(anchor, false, 0);
  while (!stop.stop_requested()) {
    std::optional<int64_t> next = schedule_.NextFireTime(last, anchor);
    if (!next) {
      next_fire_ms_ = 0;
      log::Info("schedule.exhausted", {{"rule", options_.event.rule_name}});
      return;
    }
    next_fire_ms_ = *next;
    int64_t now = clock_.NowMillis();
    if (now < *next) {
      // Wait in bounded slices and re-read the wall clock, which may jump.
      auto wait = std::min<int64_t>(*next - now, options_.max_sleep.count());
      if (clock_.SleepFor(std::chrono::milliseconds(wait), &stop)) break;
      continue;
    }
    // Due. If later fire times have also passed, fold them into one catch-up run for the latest.
    int64_t due = *next;
    uint64_t missed = 0;
    for (int guard = 0; guard < 1000000; ++guard) {
      std::optional<int64_t> after = schedule_.NextFireTime(due, anchor);
      if (!after || *after > now) break;
      due = *after;
      ++missed;
    }
    // A run merely late for its own slot (the previous run overran) is not a catch-up; folding is.
    Fire(due, /*catch_up=*/missed > 0, missed);
    last = due;
    next_fire_ms_ = schedule_.NextFireTime(last, anchor).value_or(0);
  }
  log::Info("schedule.stop", {{"rule", options_.event.rule_name}});
}

}  // namespace brewline::schedule
