// Hand-checked fire times (calendars checked against `cal`) and refused expressions with their positions.
#include "schedule/schedule_expression.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/time_util.h"

namespace brewline::schedule {
namespace {

std::vector<std::string> NextTimes(const std::string& expr, const std::string& from, int count) {
  auto parsed = ScheduleExpression::Parse(expr);
  EXPECT_TRUE(parsed.ok()) << expr << ": " << parsed.status().ToString();
  if (!parsed.ok()) return {};
  int64_t anchor = *ParseIso8601(from);
  int64_t t = anchor;
  std::vector<std::string> out;
  for (int i = 0; i < count; ++i) {
    auto next = parsed->NextFireTime(t, anchor);
    if (!next) break;
    out.push_back(FormatIso8601(*next));
    t = *next;
  }
  return out;
}

struct Case {
  const char* expr;
  const char* from;
  std::vector<std::string> expected;
};

class NextFireTest : public ::testing::TestWithParam<Case> {};

TEST_P(NextFireTest, MatchesHandCheckedTimes) {
  const Case& c = GetParam();
  EXPECT_EQ(NextTimes(c.expr, c.from, static_cast<int>(c.expected.size()) + 1).size() >= c.expected.size(), true);
  auto got = NextTimes(c.expr, c.from, static_cast<int>(c.expected.size()));
  EXPECT_EQ(got, c.expected) << c.expr << " from " << c.from;
}

INSTANTIATE_TEST_SUITE_P(
    Table, NextFireTest,
    ::testing::Values(
        // Steps from 0 every 15 minutes; strictly after the start.
        Case{"cron(0/15 * * * ? *)", "2024-01-01T00:07:00Z",
             {"2024-01-01T00:15:00Z", "2024-01-01T00:30:00Z", "2024-01-01T00:45:00Z", "2024-01-01T01:00:00Z"}},
        Case{"cron(0/15 * * * ? *)", "2024-01-01T00:15:00Z", {"2024-01-01T00:30:00Z"}},
        Case{"cron(*/20 * * * ? *)", "2024-01-01T00:59:30Z", {"2024-01-01T01:00:00Z", "2024-01-01T01:20:00Z"}},
        // Daily at noon across a month end.
        Case{"cron(0 12 * * ? *)", "2024-01-31T12:00:00Z", {"2024-02-01T12:00:00Z", "2024-02-02T12:00:00Z"}},
        // Day 31 only exists in some months.
        Case{"cron(0 0 31 * ? *)", "2024-01-31T00:00:00Z",
             {"2024-03-31T00:00:00Z", "2024-05-31T00:00:00Z", "2024-07-31T00:00:00Z", "2024-08-31T00:00:00Z"}},
        // Leap days; 2100 is not a leap year.
        Case{"cron(0 0 29 2 ? *)", "2021-01-01T00:00:00Z", {"2024-02-29T00:00:00Z", "2028-02-29T00:00:00Z"}},
        Case{"cron(0 0 29 2 ? *)", "2096-03-01T00:00:00Z", {"2104-02-29T00:00:00Z"}},
        // L: last day of the month.
        Case{"cron(0 0 L * ? *)", "2024-01-15T00:00:00Z",
             {"2024-01-31T00:00:00Z", "2024-02-29T00:00:00Z", "2024-03-31T00:00:00Z", "2024-04-30T00:00:00Z"}},
        Case{"cron(0 0 L 2 ? *)", "2023-01-01T00:00:00Z", {"2023-02-28T00:00:00Z", "2024-02-29T00:00:00Z"}},
        Case{"cron(0 0 L-2 2 ? *)", "2023-01-01T00:00:00Z", {"2023-02-26T00:00:00Z", "2024-02-27T00:00:00Z"}},
        // LW: last weekday (Mar 31 2024 is a Sunday, Aug 31 2024 a Saturday).
        Case{"cron(0 9 LW * ? *)", "2024-01-01T00:00:00Z",
             {"2024-01-31T09:00:00Z", "2024-02-29T09:00:00Z", "2024-03-29T09:00:00Z"}},
        Case{"cron(0 9 LW 8 ? 2024)", "2024-01-01T00:00:00Z", {"2024-08-30T09:00:00Z"}},
        // W: nearest weekday within the month (Jun 15 2024 Sat → Fri 14; Sep 15 Sun → Mon 16;
        // Jun 1 Sat → Mon 3, not May 31; Nov 30 2025 Sun → Fri 28, not Dec 1).
        Case{"cron(0 9 15W * ? 2024)", "2024-05-20T00:00:00Z",
             {"2024-06-14T09:00:00Z", "2024-07-15T09:00:00Z", "2024-08-15T09:00:00Z", "2024-09-16T09:00:00Z"}},
        Case{"cron(0 9 1W 6 ? 2024)", "2024-01-01T00:00:00Z", {"2024-06-03T09:00:00Z"}},
        Case{"cron(0 9 30W 11 ? 2025)", "2025-01-01T00:00:00Z", {"2025-11-28T09:00:00Z"}},
        // #: third Friday; fifth Sunday only in months that have one.
        Case{"cron(0 10 ? * 6#3 *)", "2024-01-01T00:00:00Z",
             {"2024-01-19T10:00:00Z", "2024-02-16T10:00:00Z", "2024-03-15T10:00:00Z"}},
        Case{"cron(0 10 ? * SUN#5 *)", "2024-01-01T00:00:00Z",
             {"2024-03-31T10:00:00Z", "2024-06-30T10:00:00Z", "2024-09-29T10:00:00Z", "2024-12-29T10:00:00Z"}},
        // nL: last Friday of the month; L alone in day-of-week is Saturday.
        Case{"cron(0 0 ? * 6L *)", "2024-01-01T00:00:00Z",
             {"2024-01-26T00:00:00Z", "2024-02-23T00:00:00Z", "2024-03-29T00:00:00Z"}},
        Case{"cron(0 0 ? * L *)", "2024-01-01T00:00:00Z", {"2024-01-06T00:00:00Z", "2024-01-13T00:00:00Z"}},
        // Day-of-week numbering: 1 = SUN (Jan 1 2024 is a Monday).
        Case{"cron(0 0 ? * 1 *)", "2024-01-01T00:00:00Z", {"2024-01-07T00:00:00Z"}},
        Case{"cron(0 0 ? * mon *)", "2024-01-01T00:00:00Z", {"2024-01-08T00:00:00Z"}},
        // Ranges with steps in two fields.
        Case{"cron(5-40/10 8-17/3 * * ? *)", "2024-01-01T00:00:00Z",
             {"2024-01-01T08:05:00Z", "2024-01-01T08:15:00Z", "2024-01-01T08:25:00Z", "2024-01-01T08:35:00Z",
              "2024-01-01T11:05:00Z"}},
        Case{"cron(0 17 ? * 2-6 *)", "2024-01-05T17:00:00Z", {"2024-01-08T17:00:00Z"}},
        // Names, ranges of names, and a year boundary (Jan 1 2025 is a Wednesday).
        Case{"cron(0 8 ? JAN-MAR MON-FRI *)", "2024-03-29T09:00:00Z", {"2025-01-01T08:00:00Z", "2025-01-02T08:00:00Z"}},
        Case{"cron(0 0 1,15 jul,DEC ? *)", "2024-07-10T00:00:00Z",
             {"2024-07-15T00:00:00Z", "2024-12-01T00:00:00Z", "2024-12-15T00:00:00Z", "2025-07-01T00:00:00Z"}},
        // Years: lists, ranges, steps, and the end of the calendar.
        Case{"cron(0 0 1 1 ? 2030,2032-2034)", "2024-06-01T00:00:00Z",
             {"2030-01-01T00:00:00Z", "2032-01-01T00:00:00Z", "2033-01-01T00:00:00Z", "2034-01-01T00:00:00Z"}},
        Case{"cron(0 0 1 1 ? 2000/25)", "2024-06-01T00:00:00Z",
             {"2025-01-01T00:00:00Z", "2050-01-01T00:00:00Z", "2075-01-01T00:00:00Z"}},
        Case{"cron(59 23 31 12 ? 2024)", "2024-12-31T23:58:59.999Z", {"2024-12-31T23:59:00Z"}},
        // Rates count from the anchor (here the start time).
        Case{"rate(5 minutes)", "2024-01-01T00:07:13Z", {"2024-01-01T00:12:13Z", "2024-01-01T00:17:13Z"}},
        Case{"rate(1 hour)", "2024-02-28T23:30:00Z", {"2024-02-29T00:30:00Z"}},
        Case{"rate(1 day)", "2024-02-28T06:00:00Z", {"2024-02-29T06:00:00Z", "2024-03-01T06:00:00Z"}},
        Case{"rate(2 days)", "2024-12-31T00:00:00Z", {"2025-01-02T00:00:00Z"}}));

TEST(NextFireTest, ExhaustedAfter2199) {
  auto expr = ScheduleExpression::Parse("cron(0 0 1 1 ? 2030,2199)");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(expr->NextFireTime(*ParseIso8601("2199-01-01T00:00:00Z")), std::nullopt);
  auto got = NextTimes("cron(0 0 1 1 ? 2030,2199)", "2024-01-01T00:00:00Z", 5);
  EXPECT_EQ(got, (std::vector<std::string>{"2030-01-01T00:00:00Z", "2199-01-01T00:00:00Z"}));
}

TEST(NextFireTest, RateIsAnchored) {
  auto expr = ScheduleExpression::Parse("rate(5 minutes)");
  ASSERT_TRUE(expr.ok());
  EXPECT_EQ(expr->kind(), ScheduleExpression::Kind::kRate);
  EXPECT_EQ(expr->period(), std::chrono::minutes(5));
  // Asking from the middle of a period lands on the anchor's grid, not "after + period".
  EXPECT_EQ(*expr->NextFireTime(1000 + 7 * 60000, 1000), 1000 + 10 * 60000);
  auto every = ScheduleExpression::Every(std::chrono::milliseconds(200));
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(every->text(), "every(200ms)");
  EXPECT_EQ(*every->NextFireTime(450, 50), 650);
  EXPECT_FALSE(ScheduleExpression::Every(std::chrono::milliseconds(0)).ok());
}

struct Invalid {
  const char* expr;
  int position;
  const char* reason;  // a fragment of the message
};

class InvalidExpressionTest : public ::testing::TestWithParam<Invalid> {};

TEST_P(InvalidExpressionTest, RefusedWithPositionAndReason) {
  const Invalid& c = GetParam();
  auto parsed = ScheduleExpression::Parse(c.expr);
  ASSERT_FALSE(parsed.ok()) << c.expr;
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  const std::string msg = parsed.status().message();
  EXPECT_NE(msg.find("at position " + std::to_string(c.position) + ":"), std::string::npos) << msg;
  EXPECT_NE(msg.find(c.reason), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidExpressionTest,
    ::testing::Values(
        Invalid{"", 1, "expected rate(value unit) or cron("},
        Invalid{"every 5 minutes", 1, "expected rate(value unit)"},
        Invalid{"rate(1 minutes)", 8, "singular unit 'minute'"},
        Invalid{"rate(5 minute)", 8, "plural unit 'minutes'"},
        Invalid{"rate(2 hour)", 8, "plural unit 'hours'"},
        Invalid{"rate(1 days)", 8, "singular unit 'day'"},
        Invalid{"rate(0 minutes)", 6, "positive integer"},
        Invalid{"rate(5 seconds)", 8, "unit must be minute"},
        Invalid{"rate(five minutes)", 6, "expected a positive integer"},
        Invalid{"rate(5 minutes", 15, "ends with ')'"},
        Invalid{"rate(5  minutes)", 8, "unit must be"},
        Invalid{"cron(0 0 * * ? *", 17, "ends with ')'"},
        Invalid{"cron(0 12 * * * *)", 11, "exactly one of day-of-month and day-of-week must be '?'"},
        Invalid{"cron(0 12 ? * ? *)", 15, "exactly one of day-of-month and day-of-week must be '?'"},
        Invalid{"cron(0 0 * * ?)", 15, "expected 6 fields"},
        Invalid{"cron(0 0 * * ? * *)", 18, "expected 6 fields"},
        Invalid{"cron(60 * * * ? *)", 6, "minutes value 60 is out of range 0-59"},
        Invalid{"cron(0 24 * * ? *)", 8, "hours value 24 is out of range 0-23"},
        Invalid{"cron(0 0 32 * ? *)", 10, "day-of-month value 32 is out of range 1-31"},
        Invalid{"cron(0 0 0 * ? *)", 10, "day-of-month value 0 is out of range"},
        Invalid{"cron(0 0 ? 13 * *)", 12, "month value 13 is out of range 1-12"},
        Invalid{"cron(0 0 ? * 8 *)", 14, "day-of-week value 8 is out of range 1-7"},
        Invalid{"cron(0 0 ? * 0 *)", 14, "day-of-week value 0 is out of range 1-7"},
        Invalid{"cron(0 0 1 1 ? 1969)", 16, "year value 1969 is out of range 1970-2199"},
        Invalid{"cron(0 0 1 1 ? 2200)", 16, "year value 2200 is out of range"},
        Invalid{"cron(0 0 ? FOO * *)", 12, "unknown month name 'FOO'"},
        Invalid{"cron(0 0 ? * MON-FUN *)", 18, "unknown day-of-week name 'FUN'"},
        Invalid{"cron(0 0 ? * 2#6 *)", 16, "after '#' must be 1-5"},
        Invalid{"cron(0 0 1#2 * ? *)", 11, "'#' is only allowed in day-of-week"},
        Invalid{"cron(0 0 ? * 15W *)", 16, "'W' is only allowed in day-of-month"},
        Invalid{"cron(L 0 * * ? *)", 6, "'L' is only allowed in day-of-month or day-of-week"},
        Invalid{"cron(0 0 L-31 * ? *)", 12, "after 'L-' must be 1-30"},
        Invalid{"cron(5-2 * * * ? *)", 6, "range start 5 is greater than its end 2"},
        Invalid{"cron(*/0 * * * ? *)", 8, "step after '/' must be a positive integer"},
        Invalid{"cron(0 ? * * ? *)", 8, "'?' is only allowed in day-of-month or day-of-week"},
        Invalid{"cron(0 0 1,,2 * ? *)", 12, "empty item"},
        Invalid{"cron(0 0 ? * MON,? *)", 18, "'?' must be the whole field"},
        Invalid{"cron(0 1x * * ? *)", 9, "unexpected character 'x'"}));

}  // namespace
}  // namespace brewline::schedule
