// The score Lambda bootstrap (lambdas/score) as Lambda runs it: a child process on the local Runtime API
// server, S3 on moto. Its scoring is tested in process in tests/server; here, the start-up that
// aws::RunLambdaBootstrap shares with the other bootstraps: configuration errors are init errors, and a
// started function answers both event shapes and keeps serving.
#include <gtest/gtest.h>

#include "common/base64.h"
#include "integration/aws_peers.h"

namespace brewline::integration {
namespace {

using nlohmann::json;

std::string ScoreBinary() { return testing::BinaryDir() + "/lambdas/score/bootstrap"; }

std::map<std::string, std::string> ScoreEnv(const lambda_testing::RuntimeApiServer& runtime) {
  auto env = Peers().Env();
  env["AWS_LAMBDA_RUNTIME_API"] = runtime.address();
  env["AWS_ENDPOINT_URL_S3"] = Peers().moto_url();
  env["BREWLINE_MODELS_BUCKET"] = "it-score-models";
  env["BREWLINE_PREDICTIONS_BUCKET"] = "it-score-predictions";
  return env;
}

TEST(ScoreLambdaOnMotoTest, MissingBucketsAreAnInitError) {
  lambda_testing::RuntimeApiServer runtime;
  auto env = ScoreEnv(runtime);
  env.erase("BREWLINE_PREDICTIONS_BUCKET");
  testing::ChildProcess child({ScoreBinary()}, "", "", env);
  EXPECT_EQ(child.Wait(std::chrono::seconds(30)), 1);
  auto init = runtime.init_error();
  ASSERT_TRUE(init.has_value());
  EXPECT_EQ(init->error_type, "Runtime.InitError");
  EXPECT_NE(init->body.find("BREWLINE_PREDICTIONS_BUCKET"), std::string::npos) << init->body;
}

TEST(ScoreLambdaOnMotoTest, WithoutAModelABatchFailsWholeAndTheFunctionUrlAnswers) {
  ASSERT_TRUE(Peers().ok()) << Peers().error();
  BotoOrFail(Peers().moto_url(), {"create-buckets", "it-score-models", "it-score-predictions"});
  lambda_testing::RuntimeApiServer runtime;
  testing::ChildProcess child({ScoreBinary()}, "", "", ScoreEnv(runtime));

  const std::string seq = "49600000000000000000000000000010";
  json batch = {{"Records",
                 {{{"eventSource", "aws:kinesis"},
                   {"eventID", "shardId-000000000000:" + seq},
                   {"kinesis", {{"partitionKey", "1"}, {"sequenceNumber", seq}, {"data", Base64Encode("{\"id\":1}")},
                                {"approximateArrivalTimestamp", 1764230000.5}}}}}}};
  auto out = runtime.WaitOutcome(runtime.Enqueue(batch.dump()), std::chrono::seconds(30));
  ASSERT_TRUE(out.has_value()) << "no answer from the score bootstrap";
  ASSERT_FALSE(out->is_error) << out->body;
  EXPECT_EQ(json::parse(out->body)["batchItemFailures"].size(), 1u) << out->body;

  json http = {{"requestContext", {{"http", {{"method", "GET"}, {"path", "/no-such-path"}}}}},
               {"headers", json::object()},
               {"body", ""},
               {"isBase64Encoded", false}};
  out = runtime.WaitOutcome(runtime.Enqueue(http.dump()), std::chrono::seconds(30));
  ASSERT_TRUE(out.has_value());
  ASSERT_FALSE(out->is_error) << out->body;
  EXPECT_EQ(json::parse(out->body)["statusCode"], 404) << out->body;
  EXPECT_TRUE(child.running());
}

}  // namespace
}  // namespace brewline::integration
