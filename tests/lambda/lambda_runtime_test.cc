// The Runtime API client against a local server speaking the documented API.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "aws/lambda_runtime.h"
#include "lambda/runtime_api_server.h"

namespace brewline::aws {
namespace {

using lambda_testing::RuntimeApiServer;

class LambdaRuntimeTest : public ::testing::Test {
 protected:
  RuntimeApiServer server_;
  LambdaRuntimeClient client_{server_.address(), nullptr};
};

TEST_F(LambdaRuntimeTest, DeliversEventWithHeadersAndPostsResponse) {
  std::string id = server_.Enqueue(R"({"hello":"world"})", 1795763955000);
  Invocation seen;
  Status st = client_.Run(
      [&](const Invocation& inv) -> Result<std::string> {
        seen = inv;
        return std::string(R"({"echo":)") + inv.payload + "}";
      },
      nullptr, 1);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(seen.request_id, id);
  EXPECT_EQ(seen.deadline_ms, 1795763955000);
  EXPECT_EQ(seen.function_arn, "arn:aws:lambda:us-east-1:123456789012:function:test");
  EXPECT_NE(seen.trace_id.find("Root=1-"), std::string::npos);
  auto out = server_.WaitOutcome(id);
  ASSERT_TRUE(out.has_value());
  EXPECT_FALSE(out->is_error);
  EXPECT_EQ(out->body, R"({"echo":{"hello":"world"}})");
}

TEST_F(LambdaRuntimeTest, HandlerErrorsArePostedWithTheirType) {
  std::string a = server_.Enqueue("{}");
  std::string b = server_.Enqueue("{}");
  int n = 0;
  Status st = client_.Run(
      [&](const Invocation&) -> Result<std::string> {
        if (n++ == 0) return InvalidArgument("records missing", "InvalidEvent");
        return Internal("boom");
      },
      nullptr, 2);
  ASSERT_TRUE(st.ok());
  auto ea = server_.WaitOutcome(a);
  ASSERT_TRUE(ea && ea->is_error);
  EXPECT_EQ(ea->error_type, "InvalidEvent");
  auto j = nlohmann::json::parse(ea->body);
  EXPECT_EQ(j["errorType"], "InvalidEvent");
  EXPECT_EQ(j["errorMessage"], "records missing");
  EXPECT_TRUE(j["stackTrace"].is_array());
  auto eb = server_.WaitOutcome(b);
  ASSERT_TRUE(eb && eb->is_error);
  EXPECT_EQ(eb->error_type, "Internal");  // no type: the status code's name
}

TEST_F(LambdaRuntimeTest, ExceptionsBecomeUnhandledErrorsAndTheLoopGoesOn) {
  std::string a = server_.Enqueue("{}");
  std::string b = server_.Enqueue("{}");
  int n = 0;
  Status st = client_.Run(
      [&](const Invocation&) -> Result<std::string> {
        if (n++ == 0) throw std::runtime_error("thrown by handler");
        return std::string("{}");
      },
      nullptr, 2);
  ASSERT_TRUE(st.ok());
  auto ea = server_.WaitOutcome(a);
  ASSERT_TRUE(ea && ea->is_error);
  EXPECT_EQ(ea->error_type, "Runtime.UnhandledException");
  EXPECT_NE(ea->body.find("thrown by handler"), std::string::npos);
  auto eb = server_.WaitOutcome(b);
  ASSERT_TRUE(eb && !eb->is_error);
}

TEST_F(LambdaRuntimeTest, OversizedResponseIsReportedAsAnError) {
  std::string id = server_.Enqueue("{}");
  ASSERT_TRUE(client_.Run([](const Invocation&) -> Result<std::string> { return std::string(kLambdaMaxPayloadBytes + 1, 'x'); },
                          nullptr, 1)
                  .ok());
  auto o = server_.WaitOutcome(id);
  ASSERT_TRUE(o && o->is_error);
  EXPECT_EQ(o->error_type, "Function.ResponseSizeTooLarge");
}

TEST_F(LambdaRuntimeTest, ExitsWhenTheRuntimeApiAnswers500) {
  server_.FailNextPoll();
  Status st = client_.Run([](const Invocation&) -> Result<std::string> { return std::string("{}"); });
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_EQ(st.type(), "Runtime.ApiError");
}

TEST_F(LambdaRuntimeTest, InitErrorIsPosted) {
  ASSERT_TRUE(client_.PostInitError("Runtime.InitError", "no config").ok());
  auto e = server_.init_error();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->error_type, "Runtime.InitError");
  EXPECT_EQ(nlohmann::json::parse(e->body)["errorMessage"], "no config");
}

TEST_F(LambdaRuntimeTest, StopSignalEndsTheLoopBeforePolling) {
  StopSignal stop;
  stop.RequestStop();
  EXPECT_TRUE(client_.Run([](const Invocation&) -> Result<std::string> { return std::string(); }, &stop).ok());
  EXPECT_EQ(server_.polls(), 0);
}

TEST(LambdaRuntimeEnvTest, RequiresRuntimeApiVariable) {
  EXPECT_EQ(LambdaRuntimeClient::FromEnvironment(MapEnv({})).status().code(), StatusCode::kInvalidArgument);
  auto c = LambdaRuntimeClient::FromEnvironment(MapEnv({{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}}));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->base_url(), "http://127.0.0.1:9001/2018-06-01");
}

TEST(LambdaRuntimeEnvTest, UnreachableApiIsAnError) {
  LambdaRuntimeClient c("127.0.0.1:1", nullptr);
  EXPECT_FALSE(c.Next().ok());
}

}  // namespace
}  // namespace brewline::aws
