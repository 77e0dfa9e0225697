// Interop for throttling: what the local stream answers when a shard's allowance is used up, rendered as
// Kinesis JSON (stream/kinesis_json.h), is read by our Kinesis client (aws/kinesis_stream.h) into the very same
// results and Status as the local stream returned — the shapes of shared/docs/aws-contracts.md.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../aws/fake_http.h"
#include "aws/kinesis_stream.h"
#include "stream/kinesis_json.h"
#include "stream/local_stream.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

using nlohmann::json;

class KinesisInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StreamOptions opts;
    opts.limits = ShardLimits::Kinesis();
    opts.metrics = &metrics_;
    auto s = LocalStream::Create(PosixFileSystem::Get(), clock_, dir_.path(), "beers", opts);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    local_ = std::move(s).value();
    http_ = std::make_shared<aws::testing::FakeHttpClient>();
    // One attempt: the client hands back exactly the response we scripted.
    auto client = std::make_shared<aws::AwsClient>(
        aws::AwsClientOptions{"kinesis", "us-east-1", {std::chrono::milliseconds(1), std::chrono::milliseconds(1), 1}},
        aws::Credentials{"AKID", "secret", "", "test"}, http_, clock_);
    remote_ = std::make_unique<aws::KinesisStream>("beers", *aws::ParseEndpoint("http://127.0.0.1:1"), client);
  }

  testing::TempDir dir_;
  FakeClock clock_;
  MetricsRegistry metrics_;
  std::unique_ptr<LocalStream> local_;
  std::shared_ptr<aws::testing::FakeHttpClient> http_;
  std::unique_ptr<aws::KinesisStream> remote_;
};

TEST_F(KinesisInteropTest, PartialFailureJsonMatchesTheContractAndParsesBackIdentically) {
  std::vector<PutRecordInput> batch(500, {"k", "x", std::nullopt});
  ASSERT_TRUE(local_->PutRecords(batch).ok());
  ASSERT_TRUE(local_->PutRecords(batch).ok());
  std::vector<PutRecordInput> two(2, {"k", "x", std::nullopt});
  clock_.Advance(std::chrono::milliseconds(1));  // room for exactly one more record
  auto out = local_->PutRecords(two);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->failed_record_count, 1);

  const std::string body = PutRecordsJson(*out);
  json j = json::parse(body);
  EXPECT_EQ(j["FailedRecordCount"], 1);
  ASSERT_EQ(j["Records"].size(), 2u);
  EXPECT_EQ(j["Records"][0].size(), 2u);
  EXPECT_TRUE(j["Records"][0].contains("SequenceNumber"));
  EXPECT_EQ(j["Records"][0]["ShardId"], "shardId-000000000000");
  EXPECT_EQ(j["Records"][1], json({{"ErrorCode", "ProvisionedThroughputExceededException"},
                                   {"ErrorMessage", out->records[1].error_message}}));

  http_->Push(200, body);
  auto parsed = remote_->PutRecords(two);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->failed_record_count, out->failed_record_count);
  ASSERT_EQ(parsed->records.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(parsed->records[i].shard_id, out->records[i].shard_id);
    EXPECT_EQ(parsed->records[i].sequence_number, out->records[i].sequence_number);
    EXPECT_EQ(parsed->records[i].error_code, out->records[i].error_code);
    EXPECT_EQ(parsed->records[i].error_message, out->records[i].error_message);
  }
}

TEST_F(KinesisInteropTest, ThrottledGetRecordsErrorBodyMapsToTheSameStatus) {
  ASSERT_TRUE(local_->PutRecord({"k", "x", std::nullopt}).ok());
  auto it = local_->GetShardIterator({"shardId-000000000000", IteratorType::kTrimHorizon, "", 0});
  ASSERT_TRUE(it.ok());
  Status throttled;
  for (int i = 0; i < 6 && throttled.ok(); ++i) throttled = local_->GetRecords(*it, 10).status();
  ASSERT_EQ(throttled.type(), "ProvisionedThroughputExceededException");

  const std::string body = ErrorJson(throttled);
  json j = json::parse(body);
  EXPECT_EQ(j, json({{"__type", "ProvisionedThroughputExceededException"}, {"message", throttled.message()}}));

  aws::HttpResponse response;
  response.status = 400;
  response.body = body;
  EXPECT_TRUE(aws::IsKinesisThrottle(response));
  http_->Push(400, body);
  auto remote = remote_->GetRecords("some-iterator", 10);
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.status().type(), throttled.type());
  EXPECT_EQ(remote.status().code(), throttled.code());
  EXPECT_TRUE(remote.status().IsRetryable());
}

}  // namespace
}  // namespace brewline::stream
