// The whole pipeline in one process over real HTTP and real files: N ticks → N records in raw and cleaned,
// and a misbehaving source that never stops the pipeline nor reaches `cleaned`.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>

#include "beer/beer.h"
#include "beer/csv.h"
#include "pipeline/e2e_helpers.h"
#include "pipeline/pipeline_runner.h"
#include "pipeline/run_state.h"
#include "punkapi/server.h"
#include "table/cleaned_table.h"
#include "testing/temp_dir.h"

namespace brewline::pipeline {
namespace {

using testing::BucketLines;
using testing::StreamData;

PipelineConfig FastConfig(const std::string& data_dir, const std::string& source) {
  PipelineConfig c;
  c.data_dir = data_dir;
  c.source = source;
  c.admin_listen = "127.0.0.1:0";
  c.every = std::chrono::milliseconds(200);
  c.run_for = std::chrono::milliseconds(1500);
  c.buffer_interval = std::chrono::seconds(0);
  c.poll_interval = std::chrono::milliseconds(50);
  c.table_sync_interval = std::chrono::milliseconds(300);
  c.source_timeout = std::chrono::milliseconds(1000);
  return c;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// Every cleaned line must be one valid CSV record of the schema.
void ExpectValidCleaned(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) {
    auto fields = std::count(line.begin(), line.end(), ',');
    EXPECT_GE(fields, 8) << line;
    EXPECT_TRUE(!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) << line;
  }
}

class PipelineE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dataset = punkapi::Dataset::Load(PosixFileSystem::Get(), testing::DatasetPath(::brewline::testing::SourceDir()));
    ASSERT_TRUE(dataset.ok()) << dataset.status().ToString();
    server_ = std::make_unique<punkapi::Server>(std::make_shared<const punkapi::Dataset>(std::move(*dataset)));
    ASSERT_TRUE(server_->Start("127.0.0.1", 0).ok());
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  ::brewline::testing::TempDir dir_;
  std::unique_ptr<punkapi::Server> server_;
};

TEST_F(PipelineE2eTest, NTicksGiveNRecordsInRawAndCleanedAndTheTable) {
  MetricsRegistry metrics;
  auto runner = PipelineRunner::Start(FastConfig(dir_.path(), Url()), PosixFileSystem::Get(), SystemClock::Get(), metrics);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  StopSignal stop;
  ASSERT_TRUE((*runner)->Run(stop).ok());

  auto state = ReadRunState(PosixFileSystem::Get(), dir_.path());
  ASSERT_TRUE(state.ok());
  const uint64_t n = state->ingested;
  EXPECT_GE(n, 3u);  // one at start-up plus ticks every 200 ms for 1.5 s
  EXPECT_EQ(state->ingest_runs, n);
  EXPECT_FALSE(state->running);

  std::vector<std::string> stream = StreamData(dir_.path());
  std::vector<std::string> raw = BucketLines(dir_.path(), "raw");
  std::vector<std::string> cleaned = BucketLines(dir_.path(), "cleaned");
  EXPECT_EQ(stream.size(), n);
  // Every record exactly once, byte for byte (objects are listed by key, whose uuid part is random, so the
  // order across objects is not the stream's: compare as multisets).
  EXPECT_EQ(Sorted(raw), Sorted(stream));
  ASSERT_EQ(cleaned.size(), n);
  ExpectValidCleaned(cleaned);
  std::vector<std::string> expected_cleaned;
  for (const std::string& r : raw) {
    auto beer = beer::ParseBeer(r);
    ASSERT_TRUE(beer.ok());
    std::string line = beer::ToCsvLine(*beer);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    expected_cleaned.push_back(line);
  }
  EXPECT_EQ(Sorted(cleaned), Sorted(expected_cleaned));
  auto table = table::CleanedTable::Open(PosixFileSystem::Get(), SystemClock::Get(), dir_.path());
  ASSERT_TRUE(table.ok());
  auto counts = (*table)->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->rows, static_cast<int64_t>(n));
  // Metrics the admin server exposes.
  std::string prom = metrics.RenderPrometheus();
  EXPECT_NE(prom.find("brewline_ingest_records_total " + std::to_string(n)), std::string::npos) << prom;
}

TEST_F(PipelineE2eTest, AdminServerAnswersWhileRunningAndASecondRunIsRefused) {
  PipelineConfig c = FastConfig(dir_.path(), Url());
  c.run_for.reset();
  MetricsRegistry metrics;
  auto runner = PipelineRunner::Start(c, PosixFileSystem::Get(), SystemClock::Get(), metrics);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  StopSignal stop;
  std::thread t([&] { (*runner)->Run(stop).IgnoreError(); });

  MetricsRegistry other_metrics;
  auto second = PipelineRunner::Start(c, PosixFileSystem::Get(), SystemClock::Get(), other_metrics);
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("already running"), std::string::npos);

  httplib::Client http("127.0.0.1", std::stoi((*runner)->admin_url().substr((*runner)->admin_url().rfind(':') + 1)));
  auto health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto prom = http.Get("/metrics");
  ASSERT_TRUE(prom);
  EXPECT_NE(prom->body.find("# TYPE brewline_ingest_runs_total counter"), std::string::npos);
  auto status = http.Get("/v1/status");
  ASSERT_TRUE(status);
  auto j = nlohmann::json::parse(status->body, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << status->body;
  EXPECT_EQ(j["run"]["state"], "running");
  EXPECT_EQ(j["stream"]["name"], "beers");
  // The run's Kinesis per-shard limits and what they refused, published through its status file.
  EXPECT_EQ(j["stream"]["limits"], "kinesis") << j["stream"].dump();
  EXPECT_TRUE(j["stream"]["throttled"]["records_put"].is_number()) << j["stream"].dump();
  EXPECT_TRUE(j["stream"]["throttled"]["get_records_calls"].is_number()) << j["stream"].dump();
  stop.RequestStop();
  t.join();
}

// A source that cycles through every way of misbehaving, then answers properly.
class BadSource {
 public:
  explicit BadSource(std::string good_beer) : good_(std::move(good_beer)) {
    server_.Get("/v2/beers/random", [this](const httplib::Request&, httplib::Response& res) {
      switch (calls_++ % 6) {
        case 0: res.status = 500; res.set_content("{\"message\":\"boom\"}", "application/json"); return;
        case 1: res.status = 429; res.set_header("Retry-After", "0"); res.set_content("{}", "application/json"); return;
        case 2: res.set_content("<html>garbage", "application/json"); return;
        case 3: res.set_content("[{\"id\": \"x\", \"name\": 5}]", "application/json"); return;
        case 4: std::this_thread::sleep_for(std::chrono::milliseconds(400)); res.set_content("[]", "application/json"); return;
        default: res.set_content("[" + good_ + "]", "application/json"); return;
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~BadSource() {
    server_.stop();
    thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int calls() const { return calls_.load(); }

 private:
  std::string good_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> calls_{0};
};

TEST_F(PipelineE2eTest, AMisbehavingSourceIsCountedAndNeverReachesCleaned) {
  const std::string good = "{\"id\": 7, \"name\": \"Good Beer\", \"abv\": 5.0, \"ibu\": 40, \"target_fg\": 1010, "
                           "\"target_og\": 1048, \"ebc\": 20, \"srm\": 10, \"ph\": 4.4}";
  BadSource bad(good);
  PipelineConfig c = FastConfig(dir_.path(), bad.Url());
  c.every = std::chrono::milliseconds(100);
  c.run_for = std::chrono::milliseconds(3000);
  c.source_timeout = std::chrono::milliseconds(150);
  MetricsRegistry metrics;
  auto runner = PipelineRunner::Start(c, PosixFileSystem::Get(), SystemClock::Get(), metrics);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  StopSignal stop;
  ASSERT_TRUE((*runner)->Run(stop).ok());  // ran its full time despite the source

  auto state = ReadRunState(PosixFileSystem::Get(), dir_.path());
  ASSERT_TRUE(state.ok());
  EXPECT_GE(bad.calls(), 6);
  EXPECT_GT(state->fetch_failures + state->invalid, 0u);
  EXPECT_GT(state->ingested, 0u);
  EXPECT_EQ(state->ingest_runs, state->ingested + state->fetch_failures + state->invalid + state->put_failures);
  EXPECT_GT(metrics.GetCounter("brewline_ingest_failures_total", "", {{"reason", "fetch"}}).value() +
                metrics.GetCounter("brewline_ingest_failures_total", "", {{"reason", "invalid"}}).value(),
            0u);
  // Only the good beer ever reached the stream, raw and cleaned; nothing went to the error output.
  std::vector<std::string> raw = BucketLines(dir_.path(), "raw");
  EXPECT_EQ(raw.size(), state->ingested);
  for (const auto& line : raw) EXPECT_EQ(line, good);
  std::vector<std::string> keys;
  std::vector<std::string> cleaned = BucketLines(dir_.path(), "cleaned", &keys);
  EXPECT_EQ(cleaned.size(), state->ingested);
  ExpectValidCleaned(cleaned);
  for (const auto& k : keys) EXPECT_EQ(k.find("processing-failed"), std::string::npos) << k;
}

}  // namespace
}  // namespace brewline::pipeline
