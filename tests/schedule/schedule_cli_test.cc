// `brewline schedule next` as a user runs it.
#include <gtest/gtest.h>

#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline {
namespace {

TEST(ScheduleCliTest, PrintsNextFireTimes) {
  auto r = testing::RunCommand({testing::BrewlineBinary(), "schedule", "next", "cron(0 0 L 2 ? *)", "--from",
                                "2023-01-01T00:00:00Z", "--count", "3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "2023-02-28T00:00:00Z\n2024-02-29T00:00:00Z\n2025-02-28T00:00:00Z\n");
}

TEST(ScheduleCliTest, InvalidExpressionIsAUsageErrorWithPosition) {
  auto r = testing::RunCommand({testing::BrewlineBinary(), "schedule", "next", "rate(1 minutes)"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at position 8: a value of 1 takes the singular unit 'minute'"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(ScheduleCliTest, HelpExists) {
  auto r = testing::RunCommand({testing::BrewlineBinary(), "schedule", "next", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--count"), std::string::npos);
}

}  // namespace
}  // namespace brewline
