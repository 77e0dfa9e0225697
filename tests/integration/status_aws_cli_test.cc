// `brewline status --backend aws` as a user runs it: the real binary after `run --backend aws` against Kinesis
// on moto and S3 on s3rver, then a record put with boto3 that no delivery has read yet; a missing stream; and
// the bounded bucket listing through CollectAwsStatus in process.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/file_system.h"
#include "delivery/delivery_state.h"
#include "integration/aws_peers.h"
#include "pipeline/aws_status.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::integration {
namespace {

using nlohmann::json;

std::map<std::string, std::string> SplitEnv() {
  auto env = Peers().Env();
  env["AWS_ENDPOINT_URL_KINESIS"] = Peers().moto_url();
  env["AWS_ENDPOINT_URL_S3"] = Peers().s3rver_url();
  return env;
}

std::vector<std::string> StatusArgs(const std::string& data_dir, const std::string& stream, bool json_out) {
  std::vector<std::string> args = {testing::BrewlineBinary(), "status", "--backend", "aws", "--data-dir", data_dir,
                                   "--stream", stream, "--raw-bucket", stream + "-raw", "--cleaned-bucket",
                                   stream + "-cleaned"};
  if (json_out) args.push_back("--json");
  return args;
}

const json* Consumer(const json& st, const std::string& name) {
  for (const auto& c : st["consumers"]) {
    if (c["consumer"] == name) return &c;
  }
  return nullptr;
}

const json* Bucket(const json& st, const std::string& name) {
  for (const auto& b : st["buckets"]) {
    if (b["name"] == name) return &b;
  }
  return nullptr;
}

// The aws-backend config for `stream` on moto, with buckets "<stream>-raw" and "<stream>-cleaned".
pipeline::PipelineConfig AwsConfig(const std::string& data_dir, const std::string& stream) {
  pipeline::PipelineConfig config;
  config.backend = "aws";
  config.data_dir = data_dir;
  config.stream = stream;
  config.aws.endpoint_url = Peers().moto_url();
  config.aws.raw_bucket = stream + "-raw";
  config.aws.cleaned_bucket = stream + "-cleaned";
  return config;
}

TEST(StatusAwsCliTest, StreamConsumerLagAndBucketsAfterARun) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  BotoOrFail(Peers().moto_url(), {"create-streams", "1", "it-status"});
  BotoOrFail(Peers().s3rver_url(), {"create-buckets", "it-status-raw", "it-status-cleaned"});
  testing::TempDir dir;
  const std::string data = dir.Join("data");
  auto run = testing::RunCommand({testing::BrewlineBinary(), "run", "--backend", "aws", "--every", "300ms", "--for",
                                  "3s", "--data-dir", data, "--punkapi-listen", "127.0.0.1:0", "--admin-listen",
                                  "127.0.0.1:0", "--table-sync-interval", "1s", "--stream", "it-status",
                                  "--raw-bucket", "it-status-raw", "--cleaned-bucket", "it-status-cleaned"},
                                 "", std::chrono::seconds(60), SplitEnv());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const size_t on_stream = BotoOrFail(Peers().moto_url(), {"read-stream", "it-status"}).size();
  ASSERT_GE(on_stream, 2u) << run.err;

  // After a clean stop every record is delivered: both consumers are exactly 0 behind.
  auto status = testing::RunCommand(StatusArgs(data, "it-status", true), "", std::chrono::seconds(60), SplitEnv());
  ASSERT_EQ(status.exit_code, 0) << status.err << status.out;
  json st = json::parse(status.out, nullptr, false);
  ASSERT_FALSE(st.is_discarded()) << status.out;
  EXPECT_EQ(st["backend"]["name"], "aws");
  EXPECT_FALSE(st["backend"].contains("error")) << status.out;
  EXPECT_EQ(st["stream"]["name"], "it-status");
  EXPECT_EQ(st["stream"]["status"], "ACTIVE");
  EXPECT_EQ(st["stream"]["open_shards"], 1);
  EXPECT_GT(st["stream"]["retention_hours"].get<int>(), 0);
  ASSERT_EQ(st["stream"]["shards"].size(), 1u) << status.out;
  const std::string shard = st["stream"]["shards"][0]["shard_id"];
  for (const char* name : {"raw", "cleaned"}) {
    const json* c = Consumer(st, name);
    ASSERT_NE(c, nullptr) << name << "\n" << status.out;
    EXPECT_EQ((*c)["shard_id"], shard);
    EXPECT_EQ((*c)["records_behind"], 0) << status.out;
    EXPECT_EQ((*c)["records_behind_exact"], true) << status.out;
    EXPECT_EQ((*c)["ms_behind"], 0) << status.out;
  }
  for (const char* name : {"it-status-raw", "it-status-cleaned"}) {
    const json* b = Bucket(st, name);
    ASSERT_NE(b, nullptr) << name << "\n" << status.out;
    EXPECT_GT((*b)["objects"].get<uint64_t>(), 0u) << status.out;
    EXPECT_GT((*b)["bytes"].get<uint64_t>(), 0u) << status.out;
    EXPECT_EQ((*b)["complete"], true);
  }
  // Local sections exactly as local status shows them.
  EXPECT_EQ(st["run"]["state"], "stopped");
  EXPECT_EQ(st["table"]["rows"].get<size_t>(), on_stream) << status.out;
  EXPECT_EQ(st["deliveries"].size(), 2u) << status.out;

  // One more record, put with boto3 while nothing runs: each delivery is exactly one record behind.
  BotoOrFail(Peers().moto_url(), {"put-record", "it-status", "9999", R"({"id":9999})"});
  status = testing::RunCommand(StatusArgs(data, "it-status", true), "", std::chrono::seconds(60), SplitEnv());
  ASSERT_EQ(status.exit_code, 0) << status.err;
  st = json::parse(status.out, nullptr, false);
  ASSERT_FALSE(st.is_discarded()) << status.out;
  for (const char* name : {"raw", "cleaned"}) {
    const json* c = Consumer(st, name);
    ASSERT_NE(c, nullptr) << status.out;
    EXPECT_EQ((*c)["records_behind"], 1) << status.out;
    EXPECT_EQ((*c)["records_behind_exact"], true) << status.out;
    EXPECT_GE((*c)["ms_behind"].get<int64_t>(), 0) << status.out;
    EXPECT_TRUE((*c).contains("millis_behind_latest")) << status.out;
  }

  // The same for people.
  auto text = testing::RunCommand(StatusArgs(data, "it-status", false), "", std::chrono::seconds(60), SplitEnv());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("stream it-status (Kinesis): ACTIVE, 1 open shards"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("raw " + shard + ": 1 records"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("it-status-raw: "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("run: stopped"), std::string::npos) << text.out;
  EXPECT_EQ(text.out.rfind("backend: aws, region us-east-1, Kinesis " + Peers().moto_url(), 0), 0u) << text.out;
}

TEST(StatusAwsCliTest, MissingStreamIsOneErrorLineAfterTheLocalReport) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  testing::TempDir dir;
  auto status = testing::RunCommand(StatusArgs(dir.Join("none"), "it-status-missing", true), "",
                                    std::chrono::seconds(60), SplitEnv());
  EXPECT_EQ(status.exit_code, 1) << status.err;
  auto lines = Lines(status.err);
  ASSERT_EQ(lines.size(), 1u) << status.err;
  EXPECT_EQ(lines[0].rfind("error: ", 0), 0u) << status.err;
  EXPECT_NE(lines[0].find("it-status-missing"), std::string::npos) << status.err;
  // The report is still printed: the stream marked unavailable, the (missing) data dir's sections empty.
  json st = json::parse(status.out, nullptr, false);
  ASSERT_FALSE(st.is_discarded()) << status.out;
  EXPECT_NE(st["backend"]["error"].get<std::string>().find("it-status-missing"), std::string::npos);
  EXPECT_TRUE(st["stream"].contains("error")) << status.out;
  EXPECT_EQ(st["run"]["state"], "never");
  EXPECT_FALSE(PosixFileSystem::Get().Exists(dir.Join("none"))) << "status creates nothing";
}

TEST(StatusAwsCliTest, BucketListingStopsAfterMaxPagesAndSaysAtLeast) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  BotoOrFail(Peers().moto_url(), {"create-streams", "1", "it-status-pages"});
  BotoOrFail(Peers().moto_url(), {"create-buckets", "it-status-pages-raw", "it-status-pages-cleaned"});
  for (const char* key : {"a", "b", "c"}) BotoOrFail(Peers().moto_url(), {"put-object", "it-status-pages-raw", key, "x"});
  testing::TempDir dir;
  const pipeline::PipelineConfig config = AwsConfig(dir.path(), "it-status-pages");
  pipeline::AwsStatusOptions options;
  options.list_page_size = 1;
  options.max_list_pages = 2;
  auto got = pipeline::CollectAwsStatus(config, aws::MapEnv(Peers().Env()), PosixFileSystem::Get(),
                                        SystemClock::Get(), options);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->error.ok()) << got->error.ToString();
  json st = json::parse(got->report.json);
  const json* raw = Bucket(st, "it-status-pages-raw");
  ASSERT_NE(raw, nullptr) << got->report.json;
  EXPECT_EQ((*raw)["objects"], 2);
  EXPECT_EQ((*raw)["complete"], false);
  const json* cleaned = Bucket(st, "it-status-pages-cleaned");
  ASSERT_NE(cleaned, nullptr);
  EXPECT_EQ((*cleaned)["objects"], 0);
  EXPECT_EQ((*cleaned)["complete"], true);
  EXPECT_NE(got->report.text.find("it-status-pages-raw: at least 2 objects"), std::string::npos) << got->report.text;
  // No data dir deliveries: no consumers to report.
  EXPECT_TRUE(st["consumers"].empty());
}

TEST(StatusAwsCliTest, LagReadIsBoundedAndSaysAtLeastBeyondIt) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  BotoOrFail(Peers().moto_url(), {"create-streams", "1", "it-status-lag"});
  BotoOrFail(Peers().moto_url(), {"create-buckets", "it-status-lag-raw", "it-status-lag-cleaned"});
  std::vector<std::string> seqs;
  for (const char* key : {"1", "2", "3"}) {
    seqs.push_back(BotoOrFail(Peers().moto_url(), {"put-record", "it-status-lag", key, "{}"})["seq"]);
  }
  // Delivery `raw` never checkpointed (reads from TRIM_HORIZON); `cleaned` delivered the first two records.
  testing::TempDir dir;
  FileSystem& fs = PosixFileSystem::Get();
  for (const char* name : {"raw", "cleaned"}) {
    ASSERT_TRUE(fs.CreateDirs(delivery::DeliveryStateDir(dir.path(), name)).ok());
  }
  ASSERT_TRUE(delivery::SaveDeliveryState(fs, delivery::DeliveryStateDir(dir.path(), "raw"), {}).ok());
  delivery::DeliveryState cleaned;
  cleaned.checkpoints["shardId-000000000000"] = seqs[1];
  ASSERT_TRUE(delivery::SaveDeliveryState(fs, delivery::DeliveryStateDir(dir.path(), "cleaned"), cleaned).ok());

  const pipeline::PipelineConfig config = AwsConfig(dir.path(), "it-status-lag");
  pipeline::AwsStatusOptions options;
  options.max_records_per_read = 2;
  auto got = pipeline::CollectAwsStatus(config, aws::MapEnv(Peers().Env()), fs, SystemClock::Get(), options);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->error.ok()) << got->error.ToString();
  json st = json::parse(got->report.json);
  const json* raw = Consumer(st, "raw");
  ASSERT_NE(raw, nullptr) << got->report.json;
  EXPECT_EQ((*raw)["records_behind"], 2) << got->report.json;
  EXPECT_EQ((*raw)["records_behind_exact"], false);
  EXPECT_GE((*raw)["ms_behind"].get<int64_t>(), 0);
  const json* done = Consumer(st, "cleaned");
  ASSERT_NE(done, nullptr);
  EXPECT_EQ((*done)["records_behind"], 1) << got->report.json;
  EXPECT_EQ((*done)["records_behind_exact"], true);
  EXPECT_NE(got->report.text.find("raw shardId-000000000000: at least 2 records"), std::string::npos)
      << got->report.text;
}

}  // namespace
}  // namespace brewline::integration
