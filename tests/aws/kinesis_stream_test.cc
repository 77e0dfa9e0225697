#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/kinesis_stream.h"
#include "common/base64.h"
#include "fake_http.h"

namespace brewline::aws {
namespace {

using nlohmann::json;
using testing::FakeHttpClient;
using testing::HeaderOf;

class KinesisStreamTest : public ::testing::Test {
 protected:
  KinesisStreamTest() {
    http_ = std::make_shared<FakeHttpClient>();
    auto client = std::make_shared<AwsClient>(
        AwsClientOptions{"kinesis", "us-east-1", {std::chrono::milliseconds(10), std::chrono::milliseconds(40), 3}},
        Credentials{"AKID", "secret", "", "test"}, http_, clock_);
    stream_ = std::make_unique<KinesisStream>("beers", *ParseEndpoint("http://127.0.0.1:1"), client);
  }
  json Sent(size_t i) { return json::parse(http_->requests().at(i).body); }

  FakeClock clock_;
  std::shared_ptr<FakeHttpClient> http_;
  std::unique_ptr<KinesisStream> stream_;
};

TEST_F(KinesisStreamTest, PutRecordSendsJson11WithTargetAndBase64) {
  http_->Push(200, R"({"ShardId":"shardId-000000000000","SequenceNumber":"4960","EncryptionType":"NONE"})");
  auto r = stream_->PutRecord({"42", "{\"id\":42}", std::nullopt});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->shard_id, "shardId-000000000000");
  EXPECT_EQ(r->sequence_number, "4960");
  auto req = http_->requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(HeaderOf(req, "X-Amz-Target"), "Kinesis_20131202.PutRecord");
  EXPECT_EQ(HeaderOf(req, "Content-Type"), "application/x-amz-json-1.1");
  json body = Sent(0);
  EXPECT_EQ(body["StreamName"], "beers");
  EXPECT_EQ(body["PartitionKey"], "42");
  EXPECT_EQ(body["Data"], Base64Encode("{\"id\":42}"));
  EXPECT_FALSE(body.contains("ExplicitHashKey"));
}

TEST_F(KinesisStreamTest, ValidatesPartitionKeyAndBatchSizeLocally) {
  EXPECT_EQ(stream_->PutRecord({"", "x", std::nullopt}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(stream_->PutRecord({std::string(257, 'k'), "x", std::nullopt}).status().code(),
            StatusCode::kInvalidArgument);
  std::vector<stream::PutRecordInput> many(501, {"k", "x", std::nullopt});
  EXPECT_EQ(stream_->PutRecords(many).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(http_->requests().empty());
}

TEST_F(KinesisStreamTest, MissingStreamIsAClearNotFound) {
  http_->Push(400, R"({"__type":"com.amazonaws.kinesis#ResourceNotFoundException","message":"Stream beers under account 123 not found."})");
  auto r = stream_->DescribeSummary();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(r.status().type(), "ResourceNotFoundException");
  EXPECT_NE(r.status().message().find("never creates streams"), std::string::npos);
}

TEST_F(KinesisStreamTest, ErrorTypesMapToCodes) {
  struct C { int status; std::string type; StatusCode code; };
  for (const C& c : std::vector<C>{{400, "ExpiredIteratorException", StatusCode::kFailedPrecondition},
                                   {400, "InvalidArgumentException", StatusCode::kInvalidArgument},
                                   {400, "AccessDeniedException", StatusCode::kPermissionDenied},
                                   {400, "LimitExceededException", StatusCode::kResourceExhausted},
                                   {500, "InternalFailure", StatusCode::kUnavailable}}) {
    HttpResponse resp;
    resp.status = c.status;
    resp.body = "{\"__type\":\"" + c.type + "\",\"message\":\"m\"}";
    Status st = KinesisError(resp, "beers");
    EXPECT_EQ(st.code(), c.code) << c.type;
    EXPECT_EQ(st.type(), c.type);
  }
  HttpResponse header_only;
  header_only.status = 400;
  header_only.headers = {{"x-amzn-errortype", "ValidationException:http://internal"}};
  EXPECT_EQ(KinesisError(header_only, "beers").type(), "ValidationException");
}

TEST_F(KinesisStreamTest, PutRecordsReportsPerEntryFailures) {
  http_->Push(200, R"({"FailedRecordCount":1,"Records":[{"ShardId":"shardId-000000000000","SequenceNumber":"1"},
      {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"slow down"}]})");
  auto r = stream_->PutRecords({{"a", "1", std::nullopt}, {"b", "2", "12345"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed_record_count, 1);
  EXPECT_TRUE(r->records[0].ok());
  EXPECT_EQ(r->records[1].error_code, "ProvisionedThroughputExceededException");
  EXPECT_EQ(Sent(0)["Records"][1]["ExplicitHashKey"], "12345");
}

TEST_F(KinesisStreamTest, RetryingFailedEntriesResendsOnlyThoseEntries) {
  http_->Push(200, R"({"FailedRecordCount":2,"Records":[{"ErrorCode":"InternalFailure","ErrorMessage":"x"},
      {"ShardId":"s","SequenceNumber":"2"},{"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"y"}]})");
  http_->Push(200, R"({"FailedRecordCount":1,"Records":[{"ShardId":"s","SequenceNumber":"3"},
      {"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"y"}]})");
  http_->Push(200, R"({"FailedRecordCount":0,"Records":[{"ShardId":"s","SequenceNumber":"4"}]})");
  auto r = PutRecordsRetryingFailed(*stream_, {{"a", "A", std::nullopt}, {"b", "B", std::nullopt}, {"c", "C", std::nullopt}},
                                    clock_, {std::chrono::milliseconds(10), std::chrono::milliseconds(100), 5});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed_record_count, 0);
  EXPECT_EQ(r->records[0].sequence_number, "3");
  EXPECT_EQ(r->records[1].sequence_number, "2");
  EXPECT_EQ(r->records[2].sequence_number, "4");
  ASSERT_EQ(http_->requests().size(), 3u);
  EXPECT_EQ(Sent(1)["Records"].size(), 2u);
  EXPECT_EQ(Sent(1)["Records"][0]["PartitionKey"], "a");
  EXPECT_EQ(Sent(1)["Records"][1]["PartitionKey"], "c");
  EXPECT_EQ(Sent(2)["Records"].size(), 1u);
  EXPECT_EQ(Sent(2)["Records"][0]["PartitionKey"], "c");
}

TEST_F(KinesisStreamTest, RetryingGivesUpAfterMaxAttemptsKeepingTheLastError) {
  for (int i = 0; i < 3; ++i) {
    http_->Push(200, R"({"FailedRecordCount":1,"Records":[{"ErrorCode":"InternalFailure","ErrorMessage":"x"}]})");
  }
  auto r = PutRecordsRetryingFailed(*stream_, {{"a", "A", std::nullopt}}, clock_,
                                    {std::chrono::milliseconds(1), std::chrono::milliseconds(2), 3});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed_record_count, 1);
  EXPECT_EQ(r->records[0].error_code, "InternalFailure");
  EXPECT_EQ(http_->requests().size(), 3u);
}

TEST_F(KinesisStreamTest, ListShardsFollowsNextToken) {
  http_->Push(200, R"({"Shards":[{"ShardId":"shardId-000000000000","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"1"},
      "SequenceNumberRange":{"StartingSequenceNumber":"10"}}],"NextToken":"page2"})");
  http_->Push(200, R"({"Shards":[{"ShardId":"shardId-000000000001","HashKeyRange":{"StartingHashKey":"2","EndingHashKey":"3"},
      "SequenceNumberRange":{"StartingSequenceNumber":"20","EndingSequenceNumber":"30"}}]})");
  auto r = stream_->ListShards();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].ending_hash_key, "1");
  EXPECT_EQ((*r)[1].ending_sequence_number, "30");
  EXPECT_EQ(Sent(0)["StreamName"], "beers");
  // With NextToken, StreamName must not be sent (Kinesis rejects both).
  EXPECT_FALSE(Sent(1).contains("StreamName"));
  EXPECT_EQ(Sent(1)["NextToken"], "page2");
}

TEST_F(KinesisStreamTest, IteratorsAndGetRecords) {
  http_->Push(200, R"({"ShardIterator":"it-1"})");
  stream::IteratorRequest ir;
  ir.shard_id = "shardId-000000000000";
  ir.type = stream::IteratorType::kAfterSequenceNumber;
  ir.sequence_number = "77";
  ASSERT_EQ(*stream_->GetShardIterator(ir), "it-1");
  EXPECT_EQ(Sent(0)["ShardIteratorType"], "AFTER_SEQUENCE_NUMBER");
  EXPECT_EQ(Sent(0)["StartingSequenceNumber"], "77");

  http_->Push(200, R"({"ShardIterator":"it-2"})");
  ir.type = stream::IteratorType::kAtTimestamp;
  ir.timestamp_ms = 1700000000500;
  ASSERT_TRUE(stream_->GetShardIterator(ir).ok());
  EXPECT_DOUBLE_EQ(Sent(1)["Timestamp"].get<double>(), 1700000000.5);

  http_->Push(200, R"({"Records":[{"SequenceNumber":"5","ApproximateArrivalTimestamp":1700000000.25,
      "Data":"aGVsbG8=","PartitionKey":"7"}],"NextShardIterator":"it-3","MillisBehindLatest":12})");
  auto g = stream_->GetRecords("it-2", 100);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->records.size(), 1u);
  EXPECT_EQ(g->records[0].data, "hello");
  EXPECT_EQ(g->records[0].approximate_arrival_ms, 1700000000250);
  EXPECT_EQ(g->next_shard_iterator, "it-3");
  EXPECT_EQ(g->millis_behind_latest, 12);
  EXPECT_EQ(Sent(2)["Limit"], 100);
  EXPECT_EQ(stream_->GetRecords("x", 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(KinesisStreamTest, MalformedResponsesAreCorruption) {
  http_->Push(200, "not json");
  EXPECT_EQ(stream_->PutRecord({"k", "d", std::nullopt}).status().code(), StatusCode::kCorruption);
  http_->Push(200, R"({"Records":[{"Data":"!!notbase64","SequenceNumber":"1"}]})");
  EXPECT_FALSE(stream_->GetRecords("it", 1).ok());
  http_->Push(200, R"({"FailedRecordCount":0,"Records":[]})");
  EXPECT_EQ(stream_->PutRecords({{"k", "d", std::nullopt}}).status().code(), StatusCode::kCorruption);
}

TEST_F(KinesisStreamTest, DescribeSummaryParsesFields) {
  http_->Push(200, R"({"StreamDescriptionSummary":{"StreamName":"beers","StreamARN":"arn:aws:kinesis:us-east-1:1:stream/beers",
      "StreamStatus":"ACTIVE","RetentionPeriodHours":48,"StreamCreationTimestamp":1700000000,"OpenShardCount":2,
      "EncryptionType":"KMS"}})");
  auto s = stream_->DescribeSummary();
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->stream_arn, "arn:aws:kinesis:us-east-1:1:stream/beers");
  EXPECT_EQ(s->retention_period_hours, 48);
  EXPECT_EQ(s->creation_ms, 1700000000000);
  EXPECT_EQ(s->open_shard_count, 2);
  EXPECT_EQ(s->encryption_type, "KMS");
}

}  // namespace
}  // namespace brewline::aws
