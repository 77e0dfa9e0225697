#include <gtest/gtest.h>

#include "punkapi/rate_limiter.h"

namespace brewline::punkapi {
namespace {

TEST(RateLimiter, FixedWindowPerKey) {
  FakeClock clock(1'000'000);
  RateLimiter limiter(clock, 3, std::chrono::seconds(60));
  for (int i = 0; i < 3; ++i) {
    RateDecision d = limiter.Check("a");
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.remaining, 2 - i);
    EXPECT_EQ(d.limit, 3);
    EXPECT_EQ(d.reset_epoch_s, 1000 + 60);
  }
  clock.Advance(std::chrono::seconds(10));
  RateDecision over = limiter.Check("a");
  EXPECT_FALSE(over.allowed);
  EXPECT_EQ(over.remaining, 0);
  EXPECT_EQ(over.retry_after_s, 50);
  EXPECT_TRUE(limiter.Check("b").allowed);  // other clients are unaffected
  clock.Advance(std::chrono::seconds(50));
  EXPECT_TRUE(limiter.Check("a").allowed);  // a new window
}

TEST(RateLimiter, ZeroDisables) {
  FakeClock clock;
  RateLimiter limiter(clock, 0);
  EXPECT_FALSE(limiter.enabled());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(limiter.Check("a").allowed);
}

TEST(RateLimiter, BoundedKeysRefuseNewcomersUntilWindowsExpire) {
  FakeClock clock;
  RateLimiter limiter(clock, 5, std::chrono::seconds(60), /*max_keys=*/2);
  EXPECT_TRUE(limiter.Check("a").allowed);
  EXPECT_TRUE(limiter.Check("b").allowed);
  EXPECT_FALSE(limiter.Check("c").allowed);
  EXPECT_TRUE(limiter.Check("a").allowed);
  clock.Advance(std::chrono::seconds(61));
  EXPECT_TRUE(limiter.Check("c").allowed);
}

}  // namespace
}  // namespace brewline::punkapi
