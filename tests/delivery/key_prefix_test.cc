#include "delivery/key_prefix.h"

#include <gtest/gtest.h>

#include "common/time_util.h"
#include "delivery/delivery_config.h"

namespace brewline::delivery {
namespace {

const int64_t kT = FromUtc(2024, 3, 9, 7, 5, 4, 321);

TEST(KeyPrefix, DefaultIsHourlyFolders) {
  std::mt19937_64 rng(1);
  auto p = KeyPrefix::Parse("", false);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Evaluate(kT, "", rng), "2024/03/09/07/");
  auto custom = KeyPrefix::Parse("beers/", false);  // no timestamp expression: the default is appended
  EXPECT_EQ(custom->Evaluate(kT, "", rng), "beers/2024/03/09/07/");
}

TEST(KeyPrefix, Expressions) {
  std::mt19937_64 rng(1);
  auto p = KeyPrefix::Parse("year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/!{timestamp:HH'h'mm}/", false);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->Evaluate(kT, "", rng), "year=2024/month=03/day=09/07h05/");
  auto r = KeyPrefix::Parse("x/!{firehose:random-string}/!{timestamp:yy-M-d H:m:s.SSS}", false);
  ASSERT_TRUE(r.ok());
  std::string v = r->Evaluate(kT, "", rng);
  ASSERT_EQ(v.size(), 2 + 11 + 1 + std::string("24-3-9 7:5:4.321").size());
  EXPECT_EQ(v.substr(14), "24-3-9 7:5:4.321");
  auto e = KeyPrefix::Parse("errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/", true);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->has_error_output_type());
  EXPECT_EQ(e->Evaluate(kT, "processing-failed", rng), "errors/processing-failed/2024/03/09/");
}

TEST(KeyPrefix, Errors) {
  EXPECT_FALSE(KeyPrefix::Parse("!{timestamp:yyyy", false).ok());
  EXPECT_FALSE(KeyPrefix::Parse("!{timestamp:QQ}", false).ok());
  EXPECT_FALSE(KeyPrefix::Parse("!{timestamp:}", false).ok());
  EXPECT_FALSE(KeyPrefix::Parse("!{firehose:nope}", false).ok());
  EXPECT_FALSE(KeyPrefix::Parse("!{firehose:error-output-type}/", false).ok());
  EXPECT_FALSE(KeyPrefix::Parse(std::string(513, 'a'), false).ok());
  EXPECT_FALSE(KeyPrefix::Parse("!{timestamp:'open}", false).ok());
}

TEST(KeyPrefix, ObjectNameFollowsFirehose) {
  EXPECT_EQ(ObjectName("raw", 1, kT, "0f8e7d6c-1111-4222-8333-444455556666", false),
            "raw-1-2024-03-09-07-05-04-0f8e7d6c-1111-4222-8333-444455556666");
  EXPECT_EQ(ObjectName("cleaned", 3, kT, "u", true), "cleaned-3-2024-03-09-07-05-04-u.gz");
}

TEST(DeliveryConfigTest, FirehoseLimits) {
  EXPECT_TRUE(ValidateDeliveryConfig(DefaultRawDelivery()).ok());
  EXPECT_TRUE(ValidateDeliveryConfig(DefaultCleanedDelivery()).ok());
  DeliveryConfig c = DefaultRawDelivery();
  c.buffer_size_bytes = kMiB - 1;
  EXPECT_FALSE(ValidateDeliveryConfig(c).ok());
  c.buffer_size_bytes = 129 * kMiB;
  EXPECT_FALSE(ValidateDeliveryConfig(c).ok());
  c = DefaultRawDelivery();
  c.buffer_interval = std::chrono::seconds(901);
  EXPECT_FALSE(ValidateDeliveryConfig(c).ok());
  c.buffer_interval = std::chrono::seconds(0);
  EXPECT_TRUE(ValidateDeliveryConfig(c).ok());
  c.prefix = "!{timestamp:yyyy}/";
  EXPECT_FALSE(ValidateDeliveryConfig(c).ok());  // expressions need an error prefix with error-output-type
  c.error_output_prefix = "err/!{timestamp:yyyy}/";
  EXPECT_FALSE(ValidateDeliveryConfig(c).ok());
  c.error_output_prefix = "!{firehose:error-output-type}/!{timestamp:yyyy}/";
  EXPECT_TRUE(ValidateDeliveryConfig(c).ok());
  c.name = "../x";
  EXPECT_FALSE(ValidateDeliveryConfig(c).ok());
}

}  // namespace
}  // namespace brewline::delivery
