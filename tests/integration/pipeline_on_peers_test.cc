// The whole pipeline on AWS peers: IngestJob (Punk API → PutRecord keyed by beer id) onto Kinesis on moto,
// deliveries `raw` and `cleaned` from that stream into buckets on s3rver; then the ingest Lambda bootstrap
// against moto's Kinesis through the local Runtime API server. Every result is read back with boto3.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "delivery/delivery.h"
#include "integration/aws_peers.h"
#include "lambda/firehose_events.h"
#include "lambda/runtime_api_server.h"
#include "pipeline/ingest_job.h"
#include "pipeline/punkapi_source.h"
#include "punkapi/server.h"

namespace brewline::integration {
namespace {

using nlohmann::json;

json Boto(const std::string& endpoint, const std::vector<std::string>& args) {
  std::string err;
  json j = Peers().Boto(endpoint, args, &err);
  EXPECT_FALSE(j.is_null()) << err;
  return j;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

// Every line of every object of a bucket on s3rver, read with boto3.
std::vector<std::string> BucketLines(const std::string& bucket) {
  std::vector<std::string> lines;
  for (const auto& obj : Boto(Peers().s3rver_url(), {"list-objects", bucket})) {
    std::string key = obj["key"];
    json got = Boto(Peers().s3rver_url(), {"get-object", bucket, key});
    for (auto& l : Lines(got["data"].get<std::string>())) lines.push_back(l);
  }
  return lines;
}

class PunkApi {
 public:
  PunkApi() {
    auto ds = punkapi::Dataset::Load(PosixFileSystem::Get(), lambda_testing::DatasetPath());
    EXPECT_TRUE(ds.ok()) << ds.status().ToString();
    if (!ds.ok()) return;
    server_ = std::make_unique<punkapi::Server>(std::make_shared<const punkapi::Dataset>(std::move(*ds)));
    Status st = server_->Start("127.0.0.1", 0);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_ ? server_->port() : 0); }

 private:
  std::unique_ptr<punkapi::Server> server_;
};

TEST(PipelineOnPeersTest, IngestToKinesisOnMotoThenDeliveriesToS3rver) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  auto aws = MakeBackends(Peers().moto_url(), Peers().s3rver_url(), "it-pipeline", "it-raw", "it-cleaned");
  ASSERT_TRUE(aws.ok()) << aws.status().ToString();
  ASSERT_TRUE(aws::VerifyAwsResources(*aws).ok()) << aws::VerifyAwsResources(*aws).ToString();
  PunkApi api;

  punkapi::ClientOptions punk;
  punk.url = api.url();
  pipeline::PunkApiSource source(punk, SystemClock::Get());
  pipeline::IngestJob job(source, *aws->stream, SystemClock::Get());
  constexpr int kTicks = 5;
  for (int i = 0; i < kTicks; ++i) {
    Status st = job.RunOnce(lambda_testing::ScheduledEvent());
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  EXPECT_EQ(job.stats().ingested, static_cast<uint64_t>(kTicks));

  testing::TempDir data;
  delivery::DeliveryEnv env;
  env.stream = aws->stream.get();
  env.store = aws->store.get();
  env.clock = &SystemClock::Get();
  env.fs = &PosixFileSystem::Get();
  env.data_dir = data.path();
  delivery::DeliveryConfig raw = delivery::DefaultRawDelivery();
  raw.bucket = "it-raw";
  raw.stream = "it-pipeline";
  delivery::DeliveryConfig cleaned = delivery::DefaultCleanedDelivery();
  cleaned.bucket = "it-cleaned";
  cleaned.stream = "it-pipeline";
  for (const auto& config : {raw, cleaned}) {
    auto d = delivery::Delivery::Open(config, env);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    Status st = (*d)->Drain();
    ASSERT_TRUE(st.ok()) << config.name << ": " << st.ToString();
  }

  // The stream, read by boto3: one record per tick, partition key = the beer's id.
  std::vector<int64_t> stream_ids;
  for (const auto& r : Boto(Peers().moto_url(), {"read-stream", "it-pipeline"})) {
    json beer = json::parse(r["data"].get<std::string>());
    EXPECT_EQ(r["key"].get<std::string>(), std::to_string(beer["id"].get<int64_t>()));
    stream_ids.push_back(beer["id"]);
  }
  ASSERT_EQ(stream_ids.size(), static_cast<size_t>(kTicks));
  std::sort(stream_ids.begin(), stream_ids.end());

  // Bucket raw on s3rver: the same beers, one JSON line each.
  std::vector<int64_t> raw_ids;
  for (const auto& line : BucketLines("it-raw")) raw_ids.push_back(json::parse(line)["id"]);
  std::sort(raw_ids.begin(), raw_ids.end());
  EXPECT_EQ(raw_ids, stream_ids);

  // Bucket cleaned on s3rver: nine-column CSV lines whose first field is the id.
  std::vector<int64_t> cleaned_ids;
  for (const auto& line : BucketLines("it-cleaned")) {
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 8) << line;
    cleaned_ids.push_back(std::stoll(line.substr(0, line.find(','))));
  }
  std::sort(cleaned_ids.begin(), cleaned_ids.end());
  EXPECT_EQ(cleaned_ids, stream_ids);
}

std::string IngestBinary() { return testing::BinaryDir() + "/lambdas/ingest/bootstrap"; }

TEST(IngestLambdaOnMotoTest, ScheduledEventPutsOneBeerKeyedById) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  PunkApi api;
  lambda_testing::RuntimeApiServer runtime;
  auto env = Peers().Env();
  env["AWS_LAMBDA_RUNTIME_API"] = runtime.address();
  env["BREWLINE_PUNKAPI_URL"] = api.url();
  env["BREWLINE_STREAM_NAME"] = "it-lambda";
  env["AWS_ENDPOINT_URL_KINESIS"] = Peers().moto_url();
  testing::ChildProcess child({IngestBinary()}, "", "", env);

  std::string id = runtime.Enqueue(lambda_testing::ScheduledEvent());
  auto out = runtime.WaitOutcome(id, std::chrono::seconds(30));
  ASSERT_TRUE(out.has_value()) << "no answer from the ingest bootstrap";
  ASSERT_FALSE(out->is_error) << out->body;
  EXPECT_EQ(json::parse(out->body)["status"], "ok");

  // Not a Scheduled Event: a function error, and the function keeps serving.
  std::string bad = runtime.Enqueue(R"({"detail-type":"Something Else"})");
  auto bad_out = runtime.WaitOutcome(bad, std::chrono::seconds(30));
  ASSERT_TRUE(bad_out.has_value());
  EXPECT_TRUE(bad_out->is_error);
  EXPECT_TRUE(child.running());

  json records = Boto(Peers().moto_url(), {"read-stream", "it-lambda"});
  ASSERT_EQ(records.size(), 1u);
  json beer = json::parse(records[0]["data"].get<std::string>());
  EXPECT_EQ(records[0]["key"].get<std::string>(), std::to_string(beer["id"].get<int64_t>()));
  EXPECT_FALSE(beer["name"].get<std::string>().empty());
}

TEST(IngestLambdaOnMotoTest, MissingStreamIsAFunctionErrorNamingIt) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  PunkApi api;
  lambda_testing::RuntimeApiServer runtime;
  auto env = Peers().Env();
  env["AWS_LAMBDA_RUNTIME_API"] = runtime.address();
  env["BREWLINE_PUNKAPI_URL"] = api.url();
  env["BREWLINE_STREAM_NAME"] = "it-no-such-stream";
  env["AWS_ENDPOINT_URL_KINESIS"] = Peers().moto_url();
  testing::ChildProcess child({IngestBinary()}, "", "", env);
  std::string id = runtime.Enqueue(lambda_testing::ScheduledEvent());
  auto out = runtime.WaitOutcome(id, std::chrono::seconds(30));
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->is_error);
  EXPECT_NE(out->body.find("it-no-such-stream"), std::string::npos) << out->body;
}

TEST(IngestLambdaOnMotoTest, MissingConfigurationIsAnInitError) {
  lambda_testing::RuntimeApiServer runtime;
  auto env = Peers().Env();
  env["AWS_LAMBDA_RUNTIME_API"] = runtime.address();
  env["BREWLINE_PUNKAPI_URL"] = "";
  testing::ChildProcess child({IngestBinary()}, "", "", env);
  EXPECT_EQ(child.Wait(std::chrono::seconds(30)), 1);
  auto init = runtime.init_error();
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ(init->error_type, "Runtime.InitError");
  EXPECT_NE(init->body.find("BREWLINE_PUNKAPI_URL"), std::string::npos);
}

}  // namespace
}  // namespace brewline::integration
