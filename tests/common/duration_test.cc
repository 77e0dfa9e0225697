#include "common/duration.h"

#include <gtest/gtest.h>

namespace brewline {
namespace {

TEST(DurationTest, ParsesUnits) {
  EXPECT_EQ(ParseDuration("500ms")->count(), 500);
  EXPECT_EQ(ParseDuration("1s")->count(), 1000);
  EXPECT_EQ(ParseDuration("5m")->count(), 300000);
  EXPECT_EQ(ParseDuration("2h")->count(), 7200000);
  EXPECT_EQ(ParseDuration("1d")->count(), 86400000);
  EXPECT_EQ(ParseDuration("1m30s")->count(), 90000);
}

TEST(DurationTest, RejectsBadInput) {
  for (const char* bad : {"", "5", "s", "5x", "-1s", "1.5s", "99999999999999999999s"}) {
    auto r = ParseDuration(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("invalid duration"), std::string::npos);
  }
}

TEST(DurationTest, FormatsRoundTrip) {
  for (int64_t ms : {0LL, 1LL, 999LL, 1000LL, 90000LL, 3600000LL, 90061001LL}) {
    std::string text = FormatDuration(std::chrono::milliseconds(ms));
    EXPECT_EQ(ParseDuration(text)->count(), ms) << text;
  }
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(90000)), "1m30s");
}

}  // namespace
}  // namespace brewline
