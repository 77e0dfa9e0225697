#include <gtest/gtest.h>

#include "aws/aws_client.h"
#include "aws/crypto.h"
#include "aws/uri.h"
#include "common/clock.h"
#include "fake_http.h"

namespace brewline::aws {
namespace {

using testing::FakeHttpClient;
using testing::HeaderOf;

class AwsClientTest : public ::testing::Test {
 protected:
  AwsClientTest() {
    http_ = std::make_shared<FakeHttpClient>();
    AwsClientOptions o{"kinesis", "us-east-1", {std::chrono::milliseconds(100), std::chrono::milliseconds(800), 4}};
    client_ = std::make_unique<AwsClient>(o, Credentials{"AKIDEXAMPLE", "secret", "token123", "test"}, http_, clock_);
    req_.endpoint = *ParseEndpoint("http://127.0.0.1:4566");
    req_.method = "POST";
    req_.body = "{}";
  }
  FakeClock clock_{1440938160000};  // 2015-08-30T12:36:00Z
  std::shared_ptr<FakeHttpClient> http_;
  std::unique_ptr<AwsClient> client_;
  AwsRequest req_;
};

TEST_F(AwsClientTest, SignsWithHostDateTokenAndAuthorization) {
  http_->Push(200, "{}");
  auto r = client_->Send(req_);
  ASSERT_TRUE(r.ok());
  auto sent = http_->requests().at(0);
  EXPECT_EQ(sent.url, "http://127.0.0.1:4566/");
  EXPECT_EQ(HeaderOf(sent, "X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(HeaderOf(sent, "X-Amz-Security-Token"), "token123");
  std::string auth = HeaderOf(sent, "Authorization");
  EXPECT_NE(auth.find("Credential=AKIDEXAMPLE/20150830/us-east-1/kinesis/aws4_request"), std::string::npos);
  EXPECT_NE(auth.find("SignedHeaders=host;x-amz-date;x-amz-security-token"), std::string::npos);
  EXPECT_EQ(auth.find("secret"), std::string::npos);
}

TEST_F(AwsClientTest, RetriesFiveHundredsAndThrottlingWithCappedBackoff) {
  http_->Push(500, "{\"__type\":\"InternalFailure\"}");
  http_->Push(Result<HttpResponse>(Unavailable("connection refused")));
  http_->Push(400, "{\"__type\":\"ProvisionedThroughputExceededException\"}");
  http_->Push(200, "{\"ok\":true}");
  int64_t before = clock_.NowMillis();
  auto r = client_->Send(req_, [](const HttpResponse& resp) {
    return resp.body.find("ProvisionedThroughputExceeded") != std::string::npos;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(http_->requests().size(), 4u);
  // Three waits, each at most the cap (full jitter may pick 0).
  EXPECT_LE(clock_.NowMillis() - before, 3 * 800);
}

TEST_F(AwsClientTest, GivesUpAfterMaxAttemptsAndReturnsTheLastResponse) {
  for (int i = 0; i < 10; ++i) http_->Push(503, "busy");
  auto r = client_->Send(req_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(http_->requests().size(), 4u);
}

TEST_F(AwsClientTest, DoesNotRetryClientErrors) {
  http_->Push(400, "{\"__type\":\"ResourceNotFoundException\"}");
  auto r = client_->Send(req_, [](const HttpResponse&) { return false; });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(http_->requests().size(), 1u);
  http_->Push(Result<HttpResponse>(InvalidArgument("bad url")));
  EXPECT_EQ(client_->Send(req_).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(http_->requests().size(), 2u);
}

TEST_F(AwsClientTest, S3RequestsCarryContentSha256AndEncodedPath) {
  http_->Push(200, "");
  req_.s3 = true;
  req_.method = "PUT";
  req_.path = "/raw/2026/11/27/a b=c.json";
  req_.query = {{"x", "a/b"}};
  req_.body = "hello";
  ASSERT_TRUE(client_->Send(req_).ok());
  auto sent = http_->requests().at(0);
  EXPECT_EQ(sent.url, "http://127.0.0.1:4566/raw/2026/11/27/a%20b%3Dc.json?x=a%2Fb");
  EXPECT_EQ(HeaderOf(sent, "x-amz-content-sha256"), Sha256Hex("hello"));
  EXPECT_EQ(sent.body, "hello");
}

TEST(EndpointTest, ParsesAndRejects) {
  auto e = ParseEndpoint("http://localhost:4566/");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->host, "localhost");
  EXPECT_EQ(e->port, 4566);
  EXPECT_EQ(e->HostHeader(), "localhost:4566");
  auto d = ParseEndpoint("https://s3.amazonaws.com:443/base");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->HostHeader(), "s3.amazonaws.com");
  EXPECT_EQ(d->base_path, "/base");
  EXPECT_FALSE(ParseEndpoint("localhost:4566").ok());
  EXPECT_FALSE(ParseEndpoint("ftp://x").ok());
  EXPECT_FALSE(ParseEndpoint("http://x:99999").ok());
  EXPECT_FALSE(ParseEndpoint("http://").ok());
}

TEST(UriTest, EncodesAndDecodes) {
  EXPECT_EQ(UriEncode("a b/c~"), "a%20b%2Fc~");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(PercentDecode("%E1%88%B4%2x%"), "\xE1\x88\xB4%2x%");
}

}  // namespace
}  // namespace brewline::aws
