// Our Kinesis and S3 clients against independent peers started here: moto server (Kinesis + S3) and s3rver
// (S3, verifying our SigV4). Resources are created and results checked with boto3; then the whole pipeline —
// IngestJob → Kinesis on moto → deliveries `raw` and `cleaned` → buckets on s3rver — and the ingest Lambda
// bootstrap against moto's Kinesis.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "aws/kinesis_stream.h"
#include "aws/s3_object_store.h"
#include "integration/aws_peers.h"

namespace brewline::integration {
namespace {

using nlohmann::json;

constexpr const char* kStream = "it-kinesis";
constexpr const char* kMotoBucket = "it-moto-bucket";
constexpr const char* kS3rverBucket = "it-s3rver-bucket";

// Creates every stream and bucket the suite uses, in three boto3 calls.
class PeersEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    AwsPeers& p = Peers();
    ASSERT_TRUE(p.ok()) << p.error();
    std::string err;
    ASSERT_FALSE(p.Boto(p.moto_url(), {"create-streams", "2", kStream, "it-pipeline", "it-lambda"}, &err).is_null())
        << err;
    ASSERT_FALSE(p.Boto(p.moto_url(), {"create-buckets", kMotoBucket}, &err).is_null()) << err;
    ASSERT_FALSE(p.Boto(p.s3rver_url(), {"create-buckets", kS3rverBucket, "it-raw", "it-cleaned"}, &err).is_null())
        << err;
  }
};
[[maybe_unused]] ::testing::Environment* const kEnv = ::testing::AddGlobalTestEnvironment(new PeersEnvironment);

TEST(KinesisOnMotoTest, PutAndReadBackMatchBoto3) {
  auto aws = MakeBackends(Peers().moto_url(), Peers().moto_url(), kStream);
  ASSERT_TRUE(aws.ok()) << aws.status().ToString();
  stream::Stream& s = *aws->stream;

  auto summary = s.DescribeSummary();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->stream_name, kStream);
  EXPECT_EQ(summary->stream_status, "ACTIVE");
  EXPECT_EQ(summary->open_shard_count, 2);
  EXPECT_NE(summary->stream_arn.find(kStream), std::string::npos);

  auto shards = s.ListShards();
  ASSERT_TRUE(shards.ok()) << shards.status().ToString();
  ASSERT_EQ(shards->size(), 2u);

  std::map<std::string, std::string> sent;  // data → key
  for (int i = 1; i <= 6; ++i) {
    std::string data = "{\"id\":" + std::to_string(i) + ",\"bytes\":\"\\u00e9\\n\"}";
    auto put = s.PutRecord({std::to_string(i), data, std::nullopt});
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    EXPECT_FALSE(put->sequence_number.empty());
    sent[data] = std::to_string(i);
  }
  std::vector<stream::PutRecordInput> batch;
  for (int i = 100; i < 130; ++i) {
    batch.push_back({std::to_string(i), "batch-" + std::to_string(i), std::nullopt});
    sent["batch-" + std::to_string(i)] = std::to_string(i);
  }
  auto puts = aws::PutRecordsRetryingFailed(s, batch, SystemClock::Get());
  ASSERT_TRUE(puts.ok()) << puts.status().ToString();
  EXPECT_EQ(puts->failed_record_count, 0);

  // Read back with our client, every shard from TRIM_HORIZON.
  std::map<std::string, std::string> ours;
  for (const auto& shard : *shards) {
    auto it = s.GetShardIterator({shard.shard_id, stream::IteratorType::kTrimHorizon, "", 0});
    ASSERT_TRUE(it.ok()) << it.status().ToString();
    std::string iterator = *it;
    for (int round = 0; round < 20 && !iterator.empty(); ++round) {
      auto got = s.GetRecords(iterator, 7);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      for (const auto& r : got->records) ours[r.data] = r.partition_key;
      if (got->records.empty()) break;
      iterator = got->next_shard_iterator;
    }
  }
  EXPECT_EQ(ours, sent);

  // And independently with boto3.
  json theirs = BotoOrFail(Peers().moto_url(), {"read-stream", kStream});
  std::map<std::string, std::string> boto;
  for (const auto& r : theirs) boto[r["data"].get<std::string>()] = r["key"].get<std::string>();
  EXPECT_EQ(boto, sent);
}

TEST(KinesisOnMotoTest, MissingStreamIsNotFoundAndNeverCreated) {
  auto aws = MakeBackends(Peers().moto_url(), Peers().moto_url(), "it-does-not-exist");
  ASSERT_TRUE(aws.ok());
  auto put = aws->stream->PutRecord({"1", "x", std::nullopt});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(put.status().type(), "ResourceNotFoundException");
  Status verify = aws::VerifyAwsResources(*aws);
  EXPECT_EQ(verify.code(), StatusCode::kNotFound);
  EXPECT_NE(verify.message().find("it-does-not-exist"), std::string::npos);
  EXPECT_EQ(aws->stream->DescribeSummary().status().code(), StatusCode::kNotFound);  // still missing
}

// The same object-store behaviour against both S3 implementations.
class S3PeerTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string Url() const { return GetParam() == "moto" ? Peers().moto_url() : Peers().s3rver_url(); }
  std::string Bucket() const { return GetParam() == "moto" ? kMotoBucket : kS3rverBucket; }
};

TEST_P(S3PeerTest, PutGetHeadListDeleteMatchBoto3) {
  auto aws = MakeBackends(Peers().moto_url(), Url(), kStream, Bucket(), Bucket());
  ASSERT_TRUE(aws.ok());
  EXPECT_TRUE(aws->info.s3_path_style);
  store::ObjectStore& s3 = *aws->store;
  const std::string b = Bucket();
  std::vector<std::string> keys = {"2026/11/27/07/raw-1-2026-11-27-07-19-15-a.json", "2026/11/27/07/b b=c+d.json",
                                   "2026/11/27/08/caf\xC3\xA9.csv", "2026/12/01/00/x", "top.txt"};
  for (const auto& k : keys) {
    Status st = s3.Put(b, k, "body of " + k + "\n");
    ASSERT_TRUE(st.ok()) << k << ": " << st.ToString();
  }
  auto got = s3.Get(b, keys[1]);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "body of " + keys[1] + "\n");
  auto head = s3.Head(b, keys[2]);
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->size, ("body of " + keys[2] + "\n").size());
  EXPECT_FALSE(head->etag.empty());
  EXPECT_GT(head->last_modified_ms, 1600000000000);

  // Paged listing, two keys a page, must visit every key once, in order.
  std::vector<std::string> listed;
  store::ListOptions o;
  o.max_keys = 2;
  for (int page = 0; page < 10; ++page) {
    auto p = s3.List(b, o);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    for (const auto& obj : p->objects) listed.push_back(obj.key);
    if (!p->is_truncated) break;
    o.continuation_token = p->next_continuation_token;
  }
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(listed, sorted);

  store::ListOptions folders;
  folders.prefix = "2026/11/";
  folders.delimiter = "/";
  auto f = s3.List(b, folders);
  ASSERT_TRUE(f.ok());
  // s3rver 3.7.1 returns no CommonPrefixes under a nested prefix (boto3 sees the same); we must agree with
  // the peer, and with S3's documented answer where the peer implements it.
  std::vector<std::string> boto_prefixes;
  for (const auto& p : BotoOrFail(Url(), {"common-prefixes", b, "2026/11/", "/"})) boto_prefixes.push_back(p);
  EXPECT_EQ(f->common_prefixes, boto_prefixes);
  if (GetParam() == "moto") {
    EXPECT_EQ(f->common_prefixes, (std::vector<std::string>{"2026/11/27/"}));
  }
  folders.prefix.clear();
  auto top = s3.List(b, folders);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->objects.size(), 1u);
  EXPECT_EQ(top->objects[0].key, "top.txt");

  // boto3 sees the same objects and bytes.
  json theirs = BotoOrFail(Url(), {"list-objects", b});
  std::vector<std::string> boto_keys;
  for (const auto& o2 : theirs) boto_keys.push_back(o2["key"]);
  EXPECT_EQ(boto_keys, sorted);
  EXPECT_EQ(BotoOrFail(Url(), {"get-object", b, keys[2]})["data"], "body of " + keys[2] + "\n");

  ASSERT_TRUE(s3.Delete(b, keys[0]).ok());
  EXPECT_TRUE(s3.Delete(b, "never-existed").ok());
  EXPECT_EQ(s3.Get(b, keys[0]).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(s3.Head(b, keys[0]).status().code(), StatusCode::kNotFound);

  auto missing = s3.Get("it-no-such-bucket", "k");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().type(), "NoSuchBucket");
  EXPECT_EQ(s3.Put("it-no-such-bucket", "k", "x").code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Peers, S3PeerTest, ::testing::Values("moto", "s3rver"),
                         [](const auto& info) { return info.param; });

TEST(S3rverAuthTest, UnknownAccessKeyIsPermissionDenied) {
  // s3rver checks the access key id (not the SigV4 signature itself, in 3.7.1).
  auto env = Peers().Env();
  env["AWS_ACCESS_KEY_ID"] = "AKIAUNKNOWN";
  aws::AwsBackendConfig config;
  config.s3_endpoint_url = Peers().s3rver_url();
  config.kinesis_endpoint_url = Peers().moto_url();
  auto aws = aws::MakeAwsBackends(config, aws::MapEnv(env), PosixFileSystem::Get(), SystemClock::Get());
  ASSERT_TRUE(aws.ok());
  Status st = aws->store->Put(kS3rverBucket, "k", "x");
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied) << st.ToString();
  EXPECT_EQ(st.type(), "InvalidAccessKeyId");
}

}  // namespace
}  // namespace brewline::integration
