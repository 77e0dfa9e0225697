// `brewline run --backend aws` as a user runs it: the real binary against the peers started by this test
// binary (Kinesis on moto, S3 on s3rver through AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL_S3; or everything
// on moto through --endpoint-url). The stream and buckets are created beforehand with boto3 (the backend never
// creates them) and the results are read back with boto3.
#include <gtest/gtest.h>

#include <algorithm>

#include "common/file_system.h"
#include "integration/aws_peers.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::integration {
namespace {

using nlohmann::json;

std::vector<std::string> RunArgs(const std::string& data_dir) {
  return {testing::BrewlineBinary(), "run", "--backend", "aws", "--every", "300ms", "--for", "4s",
          "--data-dir", data_dir, "--punkapi-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
          "--table-sync-interval", "1s"};
}

TEST(RunAwsCliTest, IngestAndBothDeliveriesOnKinesisAndS3) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  BotoOrFail(Peers().moto_url(), {"create-streams", "1", "it-run"});
  BotoOrFail(Peers().s3rver_url(), {"create-buckets", "it-run-raw", "it-run-cleaned"});
  testing::TempDir dir;
  auto env = Peers().Env();
  env["AWS_ENDPOINT_URL_KINESIS"] = Peers().moto_url();
  env["AWS_ENDPOINT_URL_S3"] = Peers().s3rver_url();
  auto args = RunArgs(dir.Join("data"));
  const std::vector<std::string> extra = {"--stream", "it-run", "--raw-bucket", "it-run-raw", "--cleaned-bucket",
                                          "it-run-cleaned"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto run = testing::RunCommand(args, "", std::chrono::seconds(60), env);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("run.scorer_skipped"), std::string::npos) << run.err;

  // Kinesis on moto, read by boto3: N beers, partition key = id.
  std::vector<int64_t> stream_ids;
  for (const auto& r : BotoOrFail(Peers().moto_url(), {"read-stream", "it-run"})) {
    json beer = json::parse(r["data"].get<std::string>());
    EXPECT_EQ(r["key"].get<std::string>(), std::to_string(beer["id"].get<int64_t>()));
    stream_ids.push_back(beer["id"]);
  }
  ASSERT_GE(stream_ids.size(), 3u) << run.err;  // --every 300ms for 4s, plus the one at start-up
  std::sort(stream_ids.begin(), stream_ids.end());

  // s3rver raw: N JSON lines; cleaned: N nine-column CSV lines; the same beers.
  std::vector<int64_t> raw_ids, cleaned_ids;
  for (const auto& line : BucketLines(Peers().s3rver_url(), "it-run-raw")) raw_ids.push_back(json::parse(line)["id"]);
  for (const auto& line : BucketLines(Peers().s3rver_url(), "it-run-cleaned")) {
    EXPECT_EQ(CsvFieldCount(line), 9u) << line;
    cleaned_ids.push_back(std::stoll(line.substr(0, line.find(','))));
  }
  std::sort(raw_ids.begin(), raw_ids.end());
  std::sort(cleaned_ids.begin(), cleaned_ids.end());
  EXPECT_EQ(raw_ids, stream_ids);
  EXPECT_EQ(cleaned_ids, stream_ids);

  // Delivery checkpoints and the table live in the local data dir; the table synced from S3 `cleaned`.
  EXPECT_TRUE(PosixFileSystem::Get().IsDirectory(dir.Join("data/delivery/raw")));
  auto status = testing::RunCommand(
      {testing::BrewlineBinary(), "status", "--json", "--data-dir", dir.Join("data"), "--stream", "it-run"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  json st = json::parse(status.out, nullptr, false);
  ASSERT_FALSE(st.is_discarded()) << status.out;
  EXPECT_EQ(st["table"]["rows"].get<size_t>(), stream_ids.size()) << status.out;
}

TEST(RunAwsCliTest, MissingBucketIsOneLineErrorNamingItAndCreatesNothing) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  // Everything on moto through --endpoint-url: the stream and raw exist, cleaned does not.
  BotoOrFail(Peers().moto_url(), {"create-streams", "1", "it-run-missing"});
  BotoOrFail(Peers().moto_url(), {"create-buckets", "it-run-m-raw"});
  testing::TempDir dir;
  auto args = RunArgs(dir.Join("data"));
  const std::vector<std::string> extra = {"--endpoint-url", Peers().moto_url(), "--stream", "it-run-missing",
                                          "--raw-bucket", "it-run-m-raw", "--cleaned-bucket", "it-run-no-such-bucket"};
  args.insert(args.end(), extra.begin(), extra.end());
  auto run = testing::RunCommand(args, "", std::chrono::seconds(60), Peers().Env());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto lines = Lines(run.err);
  ASSERT_FALSE(lines.empty());
  const std::string& last = lines.back();
  EXPECT_EQ(last.rfind("error: ", 0), 0u) << run.err;
  EXPECT_NE(last.find("it-run-no-such-bucket"), std::string::npos) << run.err;
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("error", 0) == 0; }),
            1) << run.err;
  EXPECT_FALSE(PosixFileSystem::Get().Exists(dir.Join("data"))) << "nothing is created when a resource is missing";
  // And no stream records were put.
  EXPECT_TRUE(BotoOrFail(Peers().moto_url(), {"read-stream", "it-run-missing"}).empty());
}

}  // namespace
}  // namespace brewline::integration
