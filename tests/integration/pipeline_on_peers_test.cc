// The whole pipeline on AWS peers: IngestJob (Punk API → PutRecord keyed by beer id) onto Kinesis on moto,
// deliveries `raw` and `cleaned` from that stream into buckets on s3rver; then the ingest Lambda bootstrap
// against moto's Kinesis through the local Runtime API server. Every result is read back with boto3.
#include <gtest/gtest.h>

#include <algorithm>

#include "delivery/delivery.h"
#include "integration/aws_peers.h"
#include "lambda/firehose_events.h"
#include "pipeline/ingest_job.h"
#include "pipeline/punkapi_source.h"
#include "punkapi/server.h"

namespace brewline::integration {
namespace {

using nlohmann::json;

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
  for (const auto& r : BotoOrFail(Peers().moto_url(), {"read-stream", "it-pipeline"})) {
    json beer = json::parse(r["data"].get<std::string>());
    EXPECT_EQ(r["key"].get<std::string>(), std::to_string(beer["id"].get<int64_t>()));
    stream_ids.push_back(beer["id"]);
  }
  ASSERT_EQ(stream_ids.size(), static_cast<size_t>(kTicks));
  std::sort(stream_ids.begin(), stream_ids.end());

  // Bucket raw on s3rver: the same beers, one JSON line each.
  std::vector<int64_t> raw_ids;
  for (const auto& line : BucketLines(Peers().s3rver_url(), "it-raw")) raw_ids.push_back(json::parse(line)["id"]);
  std::sort(raw_ids.begin(), raw_ids.end());
  EXPECT_EQ(raw_ids, stream_ids);

  // Bucket cleaned on s3rver: nine-column CSV lines whose first field is the id.
  std::vector<int64_t> cleaned_ids;
  for (const auto& line : BucketLines(Peers().s3rver_url(), "it-cleaned")) {
    EXPECT_EQ(CsvFieldCount(line), 9u) << line;
    cleaned_ids.push_back(std::stoll(line.substr(0, line.find(','))));
  }
  std::sort(cleaned_ids.begin(), cleaned_ids.end());
  EXPECT_EQ(cleaned_ids, stream_ids);
}

TEST(IngestLambdaOnMotoTest, ScheduledEventPutsOneBeerKeyedById) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  IngestLambda lambda("it-lambda");
  auto out = lambda.Invoke(lambda_testing::ScheduledEvent());
  ASSERT_TRUE(out.has_value()) << "no answer from the ingest bootstrap in 30 s: " << lambda.Describe();
  ASSERT_FALSE(out->is_error) << out->body;
  EXPECT_EQ(json::parse(out->body)["status"], "ok");

  // Not a Scheduled Event: a function error, and the function keeps serving.
  auto bad_out = lambda.Invoke(R"({"detail-type":"Something Else"})");
  ASSERT_TRUE(bad_out.has_value());
  EXPECT_TRUE(bad_out->is_error);
  EXPECT_TRUE(lambda.child().running());

  json records = BotoOrFail(Peers().moto_url(), {"read-stream", "it-lambda"});
  ASSERT_EQ(records.size(), 1u);
  json beer = json::parse(records[0]["data"].get<std::string>());
  EXPECT_EQ(records[0]["key"].get<std::string>(), std::to_string(beer["id"].get<int64_t>()));
  EXPECT_FALSE(beer["name"].get<std::string>().empty());
}

TEST(IngestLambdaOnMotoTest, MissingStreamIsAFunctionErrorNamingIt) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  IngestLambda lambda("it-no-such-stream");
  auto out = lambda.Invoke(lambda_testing::ScheduledEvent());
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->is_error);
  EXPECT_NE(out->body.find("it-no-such-stream"), std::string::npos) << out->body;
}

TEST(IngestLambdaOnMotoTest, MissingConfigurationIsAnInitError) {
  IngestLambda lambda("it-lambda", {{"BREWLINE_PUNKAPI_URL", ""}});
  EXPECT_EQ(lambda.child().Wait(std::chrono::seconds(30)), 1);
  auto init = lambda.runtime().init_error();
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ(init->error_type, "Runtime.InitError");
  EXPECT_NE(init->body.find("BREWLINE_PUNKAPI_URL"), std::string::npos);
}

}  // namespace
}  // namespace brewline::integration
