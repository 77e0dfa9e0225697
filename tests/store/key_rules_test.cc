#include "store/key_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace brewline::store {
namespace {

TEST(KeyRules, AcceptsOrdinaryKeys) {
  EXPECT_TRUE(ValidateKey("a").ok());
  EXPECT_TRUE(ValidateKey("2024/01/02/03/raw-1-2024-01-02-03-04-05-uuid.gz").ok());
  EXPECT_TRUE(ValidateKey("caf\xC3\xA9/\xF0\x9F\x8D\xBA").ok());  // café/🍺
  EXPECT_TRUE(ValidateKey(".hidden/..x/x..").ok());
  EXPECT_TRUE(ValidateKey(std::string(1024, 'k')).ok());
}

TEST(KeyRules, RefusesBadKeysWithClearMessages) {
  Status s = ValidateKey("");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  s = ValidateKey(std::string(1025, 'k'));
  EXPECT_NE(s.message().find("1024"), std::string::npos) << s.message();
  s = ValidateKey(std::string("a\0b", 3));
  EXPECT_NE(s.message().find("NUL"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("\\x00"), std::string::npos) << s.message();
  s = ValidateKey("/etc/passwd");
  EXPECT_NE(s.message().find("absolute"), std::string::npos) << s.message();
  s = ValidateKey("a/../../etc");
  EXPECT_NE(s.message().find("'..'"), std::string::npos) << s.message();
  EXPECT_FALSE(ValidateKey("..").ok());
  EXPECT_FALSE(ValidateKey("a/./b").ok());
  EXPECT_FALSE(ValidateKey("bad\xC3").ok());          // truncated sequence
  EXPECT_FALSE(ValidateKey("\xC0\xAF").ok());         // overlong '/'
  EXPECT_FALSE(ValidateKey("\xED\xA0\x80").ok());     // surrogate
  EXPECT_EQ(ValidateKey("..").type(), "InvalidKey");
}

TEST(KeyRules, FilesystemNeedsNonEmptySegments) {
  EXPECT_FALSE(ValidateKeyForFilesystem("a//b").ok());
  EXPECT_FALSE(ValidateKeyForFilesystem("folder/").ok());
  EXPECT_FALSE(ValidateKeyForFilesystem(std::string(256, 's')).ok());
  EXPECT_TRUE(ValidateKeyForFilesystem(std::string(255, 's')).ok());
}

TEST(KeyRules, BucketNames) {
  EXPECT_TRUE(ValidateBucketName("raw").ok());
  EXPECT_TRUE(ValidateBucketName("my.bucket-1").ok());
  EXPECT_FALSE(ValidateBucketName("ab").ok());
  EXPECT_FALSE(ValidateBucketName("Raw").ok());
  EXPECT_FALSE(ValidateBucketName(".tmp").ok());
  EXPECT_FALSE(ValidateBucketName("a..b").ok());
  EXPECT_FALSE(ValidateBucketName("bucket-").ok());
  EXPECT_FALSE(ValidateBucketName("../x").ok());
}

}  // namespace
}  // namespace brewline::store
