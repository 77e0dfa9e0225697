#include "common/status.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "common/result.h"

namespace brewline {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int h, Half(x));
  ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::OK().ok());
  Status s = NotFound("stream 'beers' does not exist", "ResourceNotFoundException");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.type(), "ResourceNotFoundException");
  EXPECT_EQ(s.ToString(), "NotFound (ResourceNotFoundException): stream 'beers' does not exist");
  EXPECT_EQ(s.WithContext("describe").message(), "describe: stream 'beers' does not exist");
  Status copy = s;
  EXPECT_EQ(copy.message(), s.message());
}

TEST(StatusTest, RetryableCodes) {
  EXPECT_TRUE(ErrnoStatus("write x", ENOSPC).IsRetryable());
  EXPECT_EQ(ErrnoStatus("write x", ENOSPC).code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Unavailable("x").IsRetryable());
  EXPECT_FALSE(InvalidArgument("x").IsRetryable());
  EXPECT_FALSE(Corruption("x").IsRetryable());
}

TEST(ResultTest, AssignOrReturnPropagates) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd: 3");
}

}  // namespace
}  // namespace brewline
