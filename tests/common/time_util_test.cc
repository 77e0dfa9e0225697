#include "common/time_util.h"

#include <gtest/gtest.h>

namespace brewline {
namespace {

TEST(TimeUtilTest, KnownInstants) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIso8601(1440938160000), "2015-08-30T12:36:00Z");
  EXPECT_EQ(FormatIso8601(951782400123, true), "2000-02-29T00:00:00.123Z");
  EXPECT_EQ(ToUtc(0).weekday, 4);  // Thursday
  EXPECT_EQ(ToUtc(FromUtc(2026, 11, 27)).weekday, 5);  // Friday
}

TEST(TimeUtilTest, ParseRoundTripAndNormalisation) {
  EXPECT_EQ(*ParseIso8601("2015-08-30T12:36:00Z"), 1440938160000);
  EXPECT_EQ(*ParseIso8601("2015-08-30T12:36:00.5Z"), 1440938160500);
  EXPECT_EQ(*ParseIso8601("2015-08-30"), FromUtc(2015, 8, 30));
  EXPECT_EQ(FromUtc(2024, 13, 1), FromUtc(2025, 1, 1));
  EXPECT_EQ(FromUtc(2024, 3, 0), FromUtc(2024, 2, 29));
  EXPECT_FALSE(ParseIso8601("2023-02-29").ok());
  EXPECT_FALSE(ParseIso8601("2023-01-01T10:00+02:00").ok());
  EXPECT_FALSE(ParseIso8601("yesterday").ok());
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
}

}  // namespace
}  // namespace brewline
