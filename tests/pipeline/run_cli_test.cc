// `brewline run` as a child process: SIGTERM with records still buffered, then a restart — nothing lost,
// nothing duplicated; status from another process; a second run refused; ingest and config show.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "pipeline/e2e_helpers.h"
#include "pipeline/run_state.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::pipeline {
namespace {

using ::brewline::testing::BrewlineBinary;
using ::brewline::testing::ChildProcess;
using ::brewline::testing::RunCommand;
using ::brewline::testing::TempDir;
using testing::BucketLines;
using testing::StreamData;

std::vector<std::string> RunArgs(const std::string& data_dir, const std::string& extra_for = "") {
  std::vector<std::string> args = {BrewlineBinary(), "run", "--data-dir", data_dir, "--every", "200ms",
                                   "--buffer-interval", "60s", "--poll-interval", "50ms",
                                   "--punkapi-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                                   "--table-sync-interval", "200ms"};
  if (!extra_for.empty()) {
    args.push_back("--for");
    args.push_back(extra_for);
  }
  return args;
}

// Waits until the running pipeline has ingested at least `n` beers.
bool WaitForIngested(const std::string& data_dir, uint64_t n, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (StreamData(data_dir).size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(RunCliTest, SigtermFlushesBufferedRecordsAndARestartResumesExactly) {
  TempDir dir;
  const std::string data = dir.Join("data");
  {
    ChildProcess run(RunArgs(data), dir.Join("run1.out"), dir.Join("run1.err"));
    ASSERT_TRUE(WaitForIngested(data, 3, std::chrono::seconds(30)));
    // Buffered: a 60 s interval means nothing was delivered yet.
    EXPECT_TRUE(BucketLines(data, "raw").empty());

    // While it runs: status from another process, and a second run refused.
    auto status = RunCommand({BrewlineBinary(), "status", "--data-dir", data, "--json"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    auto j = nlohmann::json::parse(status.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << status.out;
    EXPECT_EQ(j["run"]["state"], "running");
    EXPECT_GE(j["stream"]["shards"][0]["records"].get<int>(), 3);
    auto second = RunCommand(RunArgs(data, "1s"), "", std::chrono::seconds(30));
    EXPECT_EQ(second.exit_code, 1);
    EXPECT_NE(second.err.find("already running"), std::string::npos) << second.err;

    run.Signal(SIGTERM);
    EXPECT_EQ(run.Wait(std::chrono::seconds(60)), 0);
  }
  std::vector<std::string> stream1 = StreamData(data);
  ASSERT_GE(stream1.size(), 3u);
  EXPECT_EQ(Sorted(BucketLines(data, "raw")), Sorted(stream1));  // flushed on SIGTERM: all of them, once
  EXPECT_EQ(BucketLines(data, "cleaned").size(), stream1.size());

  // Restart on the same data dir: more ticks, then a clean stop after --for.
  // (and --serve-listen puts the prediction API exactly where it is told).
  const std::string serve = "127.0.0.1:" + std::to_string(::brewline::testing::FreeTcpPort());
  auto again_args = RunArgs(data, "1500ms");
  again_args.push_back("--serve-listen");
  again_args.push_back(serve);
  auto again = RunCommand(again_args, "", std::chrono::seconds(60));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("http://" + serve), std::string::npos) << again.err;
  std::vector<std::string> stream2 = StreamData(data);
  EXPECT_GT(stream2.size(), stream1.size());
  std::vector<std::string> raw = BucketLines(data, "raw");
  EXPECT_EQ(Sorted(raw), Sorted(stream2));  // nothing lost, nothing duplicated across the restart
  EXPECT_EQ(BucketLines(data, "cleaned").size(), stream2.size());

  // Status when nothing runs.
  auto status = RunCommand({BrewlineBinary(), "status", "--data-dir", data});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("run: stopped"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("raw shardId-000000000000: 0 records, 0 ms behind"), std::string::npos) << status.out;
  auto js = RunCommand({BrewlineBinary(), "status", "--data-dir", data, "--json"});
  auto j = nlohmann::json::parse(js.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["table"]["rows"].get<size_t>(), stream2.size());
  for (const auto& b : j["buckets"]) EXPECT_GT(b["objects"].get<int>(), 0);
}

TEST(RunCliTest, IngestOnceAndConfigShow) {
  TempDir dir;
  const std::string data = dir.Join("data");
  auto once = RunCommand({BrewlineBinary(), "ingest", "--once", "--data-dir", data});
  EXPECT_EQ(once.exit_code, 0) << once.err;
  EXPECT_EQ(once.out.rfind("ok id=", 0), 0u) << once.out;
  EXPECT_EQ(StreamData(data).size(), 1u);

  auto usage = RunCommand({BrewlineBinary(), "ingest", "--data-dir", data});
  EXPECT_EQ(usage.exit_code, 2);

  const std::string toml = dir.Join("brewline.toml");
  FILE* f = std::fopen(toml.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("schedule = \"cron(0/10 * * * ? *)\"\n[delivery]\nbuffer_size_mb = 9\n", f);
  std::fclose(f);
  auto show = RunCommand({BrewlineBinary(), "config", "show", "--config", toml, "--every", "5s"});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("schedule = \"cron(0/10 * * * ? *)\""), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("every = \"5s\""), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("buffer_size_mb = 9"), std::string::npos) << show.out;
  auto aws = RunCommand({BrewlineBinary(), "config", "show", "--backend", "aws", "--endpoint-url", "http://127.0.0.1:1",
                         "--region", "eu-west-1", "--profile", "p", "--raw-bucket", "r1", "--cleaned-bucket", "c1",
                         "--stream", "s1", "--serve-listen", "127.0.0.1:0"});
  EXPECT_EQ(aws.exit_code, 0) << aws.err;
  for (const char* want : {"backend = \"aws\"", "endpoint_url = \"http://127.0.0.1:1\"", "region = \"eu-west-1\"",
                           "profile = \"p\"", "raw_bucket = \"r1\"", "cleaned_bucket = \"c1\"", "stream = \"s1\"",
                           "serve_listen = \"127.0.0.1:0\""}) {
    EXPECT_NE(aws.out.find(want), std::string::npos) << want << "\n" << aws.out;
  }
  EXPECT_EQ(RunCommand({BrewlineBinary(), "config", "show", "--backend", "gcp"}).exit_code, 2);
  auto bad = RunCommand({BrewlineBinary(), "run", "--data-dir", data, "--schedule", "rate(1 minutes)"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("position"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace brewline::pipeline
