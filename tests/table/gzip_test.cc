#include "common/gzip.h"
#include "table/gzip.h"

#include <gtest/gtest.h>

namespace brewline::table {
namespace {

TEST(GzipTest, RoundTripsAndConcatenatedMembers) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + ",beer\n";
  auto gz = GzipCompress(text);
  ASSERT_TRUE(gz.ok());
  EXPECT_LT(gz->size(), text.size());
  auto back = GzipDecompress(*gz);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, text);

  auto second = GzipCompress("tail\n");
  ASSERT_TRUE(second.ok());
  auto both = GzipDecompress(*gz + *second);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(*both, text + "tail\n");
}

TEST(GzipTest, DamagedOrTruncatedIsCorruption) {
  auto gz = GzipCompress(std::string(10000, 'a') + "xyz");
  ASSERT_TRUE(gz.ok());
  auto truncated = GzipDecompress(gz->substr(0, gz->size() / 2));
  EXPECT_EQ(truncated.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(GzipDecompress("not gzip at all").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(GzipDecompress("").status().code(), StatusCode::kCorruption);
}

TEST(GzipTest, KeySuffix) {
  EXPECT_TRUE(IsGzipKey("2024/01/01/00/cleaned-1-x.gz"));
  EXPECT_FALSE(IsGzipKey("2024/01/01/00/cleaned-1-x"));
  EXPECT_FALSE(IsGzipKey("gz"));
}

}  // namespace
}  // namespace brewline::table
