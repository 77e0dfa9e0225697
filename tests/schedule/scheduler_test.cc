// Scheduler behaviour on a FakeClock: fire times follow the schedule (no drift), runs never overlap, and a
// missed stretch produces one catch-up run rather than a burst.
#include "schedule/scheduler.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "common/time_util.h"

namespace brewline::schedule {
namespace {

using std::chrono::milliseconds;

constexpr int64_t kStart = 1700000000000;  // a whole second (2023-11-14T22:13:20Z)

struct Recorder {
  Recorder(FakeClock* c, StopSignal* s, size_t n) : clock(c), stop(s), stop_after(n) {}
  FakeClock* clock;
  StopSignal* stop;
  size_t stop_after;
  std::vector<int64_t> started;      // clock time when each run began
  std::vector<int64_t> event_times;  // the event's "time"
  int in_flight = 0;
  int max_in_flight = 0;

  Status Run(const std::string& event, milliseconds work) {
    ++in_flight;
    max_in_flight = std::max(max_in_flight, in_flight);
    started.push_back(clock->NowMillis());
    auto ev = ParseScheduledEvent(event);
    EXPECT_TRUE(ev.ok()) << event;
    event_times.push_back(ev.ok() ? ev->time_ms : -1);
    clock->Advance(work);  // the job's own run time
    --in_flight;
    if (started.size() >= stop_after) stop->RequestStop();
    return Status::OK();
  }
};

TEST(SchedulerTest, FiresOnTheScheduleWithoutDrift) {
  FakeClock clock(kStart);
  StopSignal stop;
  Recorder rec(&clock, &stop, 5);
  auto every = ScheduleExpression::Every(milliseconds(5000));
  ASSERT_TRUE(every.ok());
  SchedulerOptions opts;
  opts.run_at_start = true;
  Scheduler s(clock, *every, [&](const std::string& e) { return rec.Run(e, milliseconds(1300)); }, opts);
  s.Run(stop);
  // Each run takes 1.3 s, yet runs start exactly on the 5 s grid from the start.
  EXPECT_EQ(rec.started,
            (std::vector<int64_t>{kStart, kStart + 5000, kStart + 10000, kStart + 15000, kStart + 20000}));
  EXPECT_EQ(rec.event_times, rec.started);
  EXPECT_EQ(s.stats().runs, 5u);
  EXPECT_EQ(s.stats().catch_ups, 0u);
  EXPECT_EQ(s.stats().next_fire_ms, kStart + 25000);
}

TEST(SchedulerTest, WithoutRunAtStartTheFirstRunIsOnePeriodIn) {
  FakeClock clock(kStart);
  StopSignal stop;
  Recorder rec(&clock, &stop, 2);
  auto rate = ScheduleExpression::Parse("rate(5 minutes)");
  ASSERT_TRUE(rate.ok());
  Scheduler s(clock, *rate, [&](const std::string& e) { return rec.Run(e, milliseconds(0)); });
  s.Run(stop);
  EXPECT_EQ(rec.started, (std::vector<int64_t>{kStart + 300000, kStart + 600000}));
}

TEST(SchedulerTest, CronFiresOnWallClockMinutes) {
  FakeClock clock(*ParseIso8601("2024-01-01T10:03:27Z"));
  StopSignal stop;
  Recorder rec(&clock, &stop, 3);
  auto cron = ScheduleExpression::Parse("cron(0/5 * * * ? *)");
  ASSERT_TRUE(cron.ok());
  Scheduler s(clock, *cron, [&](const std::string& e) { return rec.Run(e, milliseconds(45000)); });
  s.Run(stop);
  EXPECT_EQ(rec.started, (std::vector<int64_t>{*ParseIso8601("2024-01-01T10:05:00Z"),
                                               *ParseIso8601("2024-01-01T10:10:00Z"),
                                               *ParseIso8601("2024-01-01T10:15:00Z")}));
}

TEST(SchedulerTest, AnOverrunningJobIsNeverOverlappedAndRunsOnceLate) {
  FakeClock clock(kStart);
  StopSignal stop;
  Recorder rec(&clock, &stop, 4);
  auto every = ScheduleExpression::Every(milliseconds(1000));
  ASSERT_TRUE(every.ok());
  SchedulerOptions opts;
  opts.run_at_start = true;
  int call = 0;
  Scheduler s(clock, *every,
              [&](const std::string& e) { return rec.Run(e, milliseconds(call++ == 0 ? 2500 : 100)); }, opts);
  s.Run(stop);
  EXPECT_EQ(rec.max_in_flight, 1);
  // Run 1 (t=0) overran to 2.5 s: slot 1 s was folded into one run for slot 2 s, started at 2.5 s; then
  // the grid resumes at 3 s and 4 s.
  EXPECT_EQ(rec.started, (std::vector<int64_t>{kStart, kStart + 2500, kStart + 3000, kStart + 4000}));
  EXPECT_EQ(rec.event_times, (std::vector<int64_t>{kStart, kStart + 2000, kStart + 3000, kStart + 4000}));
  EXPECT_EQ(s.stats().catch_ups, 1u);
  EXPECT_EQ(s.stats().missed_periods, 1u);
}

TEST(SchedulerTest, AfterAMissedStretchRunsOnceToCatchUpNotInABurst) {
  FakeClock clock(kStart);
  StopSignal stop;
  Recorder rec(&clock, &stop, 4);
  auto rate = ScheduleExpression::Parse("rate(1 minute)");
  ASSERT_TRUE(rate.ok());
  int call = 0;
  // The second run "suspends the machine" for 10.5 minutes.
  Scheduler s(clock, *rate,
              [&](const std::string& e) { return rec.Run(e, milliseconds(++call == 2 ? 630000 : 0)); });
  s.Run(stop);
  const int64_t m = 60000;
  EXPECT_EQ(rec.started, (std::vector<int64_t>{kStart + m, kStart + 2 * m, kStart + 12 * m + 30000, kStart + 13 * m}));
  // The catch-up carries the latest missed slot (12 min); slots 3…11 were folded into it.
  EXPECT_EQ(rec.event_times, (std::vector<int64_t>{kStart + m, kStart + 2 * m, kStart + 12 * m, kStart + 13 * m}));
  EXPECT_EQ(s.stats().catch_ups, 1u);
  EXPECT_EQ(s.stats().missed_periods, 9u);
}

TEST(SchedulerTest, FailuresAreCountedAndTheScheduleGoesOn) {
  FakeClock clock(kStart);
  StopSignal stop;
  int runs = 0;
  auto every = ScheduleExpression::Every(milliseconds(10));
  ASSERT_TRUE(every.ok());
  Scheduler s(clock, *every, [&](const std::string&) {
    if (++runs == 5) stop.RequestStop();
    return runs % 2 == 1 ? Unavailable("source down") : Status::OK();
  });
  s.Run(stop);
  EXPECT_EQ(s.stats().runs, 5u);
  EXPECT_EQ(s.stats().failures, 3u);
}

TEST(SchedulerTest, EventIsExactlyTheEventBridgeShape) {
  ScheduledEventOptions opts;
  opts.rule_name = "ingest";
  opts.account = "123456789012";
  opts.region = "eu-west-1";
  std::string json = BuildScheduledEvent(opts, *ParseIso8601("2015-10-08T16:53:06Z"), "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa");
  EXPECT_EQ(json,
            "{\"version\":\"0\",\"id\":\"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa\",\"detail-type\":\"Scheduled Event\","
            "\"source\":\"aws.events\",\"account\":\"123456789012\",\"time\":\"2015-10-08T16:53:06Z\","
            "\"region\":\"eu-west-1\",\"resources\":[\"arn:aws:events:eu-west-1:123456789012:rule/ingest\"],"
            "\"detail\":{}}");
  auto ev = ParseScheduledEvent(json);
  ASSERT_TRUE(ev.ok());
  EXPECT_EQ(ev->rule_arn, "arn:aws:events:eu-west-1:123456789012:rule/ingest");
  EXPECT_FALSE(ParseScheduledEvent("{\"detail-type\":\"Other\"}").ok());
  EXPECT_FALSE(ParseScheduledEvent("not json").ok());
}

TEST(SchedulerTest, EachRunGetsAFreshUuid) {
  FakeClock clock(kStart);
  StopSignal stop;
  std::vector<std::string> ids;
  auto every = ScheduleExpression::Every(milliseconds(1000));
  ASSERT_TRUE(every.ok());
  Scheduler s(clock, *every, [&](const std::string& e) {
    ids.push_back(nlohmann::json::parse(e)["id"].get<std::string>());
    if (ids.size() == 3) stop.RequestStop();
    return Status::OK();
  });
  s.Run(stop);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_NE(ids[1], ids[2]);
  EXPECT_EQ(ids[0].size(), 36u);
}

TEST(SchedulerTest, StopWakesARealWait) {
  auto rate = ScheduleExpression::Parse("rate(1 day)");
  ASSERT_TRUE(rate.ok());
  StopSignal stop;
  Scheduler s(SystemClock::Get(), *rate, [](const std::string&) { return Status::OK(); });
  std::thread t([&] { s.Run(stop); });
  stop.RequestStop();
  t.join();  // would hang for a day if the wait ignored the stop
  EXPECT_EQ(s.stats().runs, 0u);
}

}  // namespace
}  // namespace brewline::schedule
