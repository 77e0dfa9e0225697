#include <gtest/gtest.h>

#include "aws/s3_object_store.h"
#include "fake_http.h"

namespace brewline::aws {
namespace {

using testing::FakeHttpClient;

class S3ObjectStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<S3ObjectStore> Make(const std::string& endpoint, bool path_style) {
    auto client = std::make_shared<AwsClient>(
        AwsClientOptions{"s3", "eu-west-1", {std::chrono::milliseconds(1), std::chrono::milliseconds(2), 2}},
        Credentials{"AKID", "secret", "", "test"}, http_, clock_);
    return std::make_unique<S3ObjectStore>(*ParseEndpoint(endpoint), path_style, client);
  }
  FakeClock clock_;
  std::shared_ptr<FakeHttpClient> http_ = std::make_shared<FakeHttpClient>();
};

TEST_F(S3ObjectStoreTest, PathStyleAndVirtualHostedUrls) {
  http_->Push(200, "");
  http_->Push(200, "");
  ASSERT_TRUE(Make("http://127.0.0.1:4568", true)->Put("raw", "2026/11/27/07/a b.json", "x").ok());
  ASSERT_TRUE(Make("https://s3.eu-west-1.amazonaws.com", false)->Put("raw", "k/1", "x").ok());
  auto reqs = http_->requests();
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].url, "http://127.0.0.1:4568/raw/2026/11/27/07/a%20b.json");
  EXPECT_EQ(reqs[1].url, "https://raw.s3.eu-west-1.amazonaws.com/k/1");
  EXPECT_NE(testing::HeaderOf(reqs[1], "Authorization").find("/eu-west-1/s3/aws4_request"), std::string::npos);
}

TEST_F(S3ObjectStoreTest, MissingBucketAndKeyAreDistinctNotFounds) {
  auto s3 = Make("http://h:1", true);
  http_->Push(404, "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>nope</Message></Error>");
  auto b = s3->Get("cleaned", "k");
  EXPECT_EQ(b.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(b.status().type(), "NoSuchBucket");
  EXPECT_NE(b.status().message().find("never creates buckets"), std::string::npos);
  http_->Push(404, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>");
  auto k = s3->Get("cleaned", "k");
  EXPECT_EQ(k.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(k.status().type(), "NoSuchKey");
  http_->Push(404, "");
  EXPECT_EQ(s3->Head("cleaned", "k").status().code(), StatusCode::kNotFound);
  http_->Push(404, "");
  EXPECT_EQ(s3->CheckBucket("cleaned").type(), "NoSuchBucket");
  http_->Push(403, "<Error><Code>SignatureDoesNotMatch</Code></Error>");
  EXPECT_EQ(s3->Get("cleaned", "k").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(S3ObjectStoreTest, HeadReadsSizeEtagAndDate) {
  http_->Push(200, "", {{"content-length", "1234"}, {"etag", "\"d41d\""}, {"last-modified", "Fri, 27 Nov 2026 07:19:15 GMT"}});
  auto h = Make("http://h:1", true)->Head("raw", "a");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->size, 1234u);
  EXPECT_EQ(h->etag, "\"d41d\"");
  EXPECT_EQ(h->last_modified_ms, 1795763955000);
  EXPECT_EQ(http_->requests()[0].method, "HEAD");
}

TEST_F(S3ObjectStoreTest, ListSendsV2ParametersAndParsesPage) {
  http_->Push(200, "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>p/a</Key><Size>3</Size>"
                   "</Contents></ListBucketResult>");
  store::ListOptions o;
  o.prefix = "p/";
  o.delimiter = "/";
  o.continuation_token = "a+b/c=";
  o.max_keys = 2;
  auto page = Make("http://h:1", true)->List("raw", o);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->objects.at(0).key, "p/a");
  EXPECT_EQ(http_->requests()[0].url,
            "http://h:1/raw?list-type=2&prefix=p%2F&delimiter=%2F&continuation-token=a%2Bb%2Fc%3D&max-keys=2");
  o.max_keys = 0;
  EXPECT_EQ(Make("http://h:1", true)->List("raw", o).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(S3ObjectStoreTest, DeleteOfMissingKeySucceedsAndSlowDownIsRetried) {
  auto s3 = Make("http://h:1", true);
  http_->Push(204, "");
  EXPECT_TRUE(s3->Delete("raw", "gone").ok());
  http_->Push(503, "<Error><Code>SlowDown</Code></Error>");
  http_->Push(200, "data");
  auto g = s3->Get("raw", "k");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(*g, "data");
  http_->Push(503, "<Error><Code>SlowDown</Code></Error>");
  http_->Push(503, "<Error><Code>SlowDown</Code></Error>");
  EXPECT_EQ(s3->Get("raw", "k").status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(s3->Put("raw", "", "x").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace brewline::aws
