#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "beer/json_array.h"

namespace brewline::beer {
namespace {

using ::testing::HasSubstr;

TEST(SplitJsonArray, ReturnsExactElementText) {
  std::string json = " [ {\"a\":\"],[{\\\"\"} ,\n 12.50 ,\"x\" ,[1,[2]],null ] \n";
  auto spans = SplitJsonArray(json);
  ASSERT_TRUE(spans.ok()) << spans.status().ToString();
  ASSERT_EQ(spans->size(), 5u);
  EXPECT_EQ((*spans)[0].text, "{\"a\":\"],[{\\\"\"}");
  EXPECT_EQ((*spans)[0].offset, 3u);
  EXPECT_EQ((*spans)[1].text, "12.50");
  EXPECT_EQ((*spans)[2].text, "\"x\"");
  EXPECT_EQ((*spans)[3].text, "[1,[2]]");
  EXPECT_EQ((*spans)[4].text, "null");
}

TEST(SplitJsonArray, EmptyArray) {
  auto spans = SplitJsonArray("[]");
  ASSERT_TRUE(spans.ok());
  EXPECT_TRUE(spans->empty());
}

TEST(SplitJsonArray, NotAnArray) {
  EXPECT_THAT(SplitJsonArray("{\"id\":1}").status().message(), HasSubstr("expected a JSON array, got object"));
}

TEST(SplitJsonArray, MalformedReportsLineAndColumn) {
  auto r = SplitJsonArray("[\n  {\"id\": 1},\n  {\"id\": }\n]");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("malformed JSON at line 3, column 10"));
  EXPECT_THAT(SplitJsonArray("[1,2").status().message(), HasSubstr("malformed JSON at line 1"));
}

TEST(PositionOf, CountsLinesAndColumns) {
  TextPosition p = PositionOf("ab\ncd", 4);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 2u);
}

}  // namespace
}  // namespace brewline::beer
