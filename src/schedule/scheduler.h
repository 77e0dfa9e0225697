// Scheduler: runs one job on a schedule, as an EventBridge rule with a single target would.
//
// Contract:
//   - Fire times come from the schedule (next = NextFireTime(previous scheduled time)), never from
//     "now + period", so a slow job or a late wake-up does not shift later fires (no drift).
//   - The job runs on the thread that called Run, so a run never overlaps the previous one.
//   - If one or more fire times passed while the job ran or the machine slept, the job runs once at once
//     for the latest of them (a catch-up), then the schedule continues; missed periods are counted, not
//     replayed in a burst.
//   - Each run receives the Scheduled Event JSON exactly as EventBridge sends it (scheduled_event.h), with a
//     fresh uuid and the scheduled time.
// Time comes from the Clock: with FakeClock the loop is deterministic and does not sleep.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "schedule/schedule_expression.h"
#include "schedule/scheduled_event.h"

namespace brewline::schedule {

struct SchedulerOptions {
  // Also run once immediately when Run starts (as `brewline run` does), then follow the schedule.
  bool run_at_start = false;
  ScheduledEventOptions event;
  // Upper bound of one wait, so a wall-clock jump (suspend, NTP step) is noticed within this long.
  std::chrono::milliseconds max_sleep{1000};
};

struct SchedulerStats {
  uint64_t runs = 0;            // job invocations, catch-ups included
  uint64_t failures = 0;        // runs whose Status was not OK
  uint64_t catch_ups = 0;       // runs fired late for a fire time that had already passed
  uint64_t missed_periods = 0;  // fire times skipped (folded into a catch-up)
  int64_t last_scheduled_ms = 0;  // the scheduled time of the latest run (0 before the first)
  int64_t next_fire_ms = 0;       // the next scheduled time (0 when none is left)
};

class Scheduler {
 public:
  // The job gets the event JSON; a non-OK Status is logged and counted, and the schedule goes on.
  using Job = std::function<Status(const std::string& event_json)>;

  // `clock` must outlive the Scheduler. The schedule's anchor (for rate/every) is the moment Run starts.
  Scheduler(Clock& clock, ScheduleExpression schedule, Job job, SchedulerOptions options = {});
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs until `stop` is requested (checked between runs and while waiting; a run in progress finishes) or
  // the schedule has no fire time left. Call once.
  void Run(const StopSignal& stop);

  // Thread-safe snapshot.
  SchedulerStats stats() const;
  const ScheduleExpression& schedule() const { return schedule_; }

 private:
  void Fire(int64_t scheduled_ms, bool catch_up, uint64_t missed);

  Clock& clock_;
  const ScheduleExpression schedule_;
  Job job_;
  const SchedulerOptions options_;
  std::atomic<uint64_t> runs_{0}, failures_{0}, catch_ups_{0}, missed_periods_{0};
  std::atomic<int64_t> last_scheduled_ms_{0}, next_fire_ms_{0};
};

}  // namespace brewline::schedule
