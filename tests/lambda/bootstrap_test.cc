// The transform bootstrap as a real process against the local Runtime API server, with Firehose events of
// punkapi-db beers; then the packaged zip: unzipped, its root `bootstrap` runs the binary through the bundled
// loader and libraries.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/base64.h"
#include "delivery/transform.h"
#include "lambda/firehose_events.h"
#include "lambda/runtime_api_server.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline {
namespace {

using lambda_testing::RuntimeApiServer;

std::string TransformBinary() { return testing::BinaryDir() + "/lambdas/transform/bootstrap"; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TransformBootstrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    beers_ = lambda_testing::DatasetBeers(20);
    ASSERT_EQ(beers_.size(), 20u) << "punkapi-db dataset missing at " << lambda_testing::DatasetPath();
  }
  // Checks the function's answer to one Firehose event equals the in-process handler's.
  void ExpectSameAsInProcess(RuntimeApiServer& server, const std::vector<std::string>& payloads) {
    std::string event = lambda_testing::FirehoseEvent(payloads);
    std::string id = server.Enqueue(event);
    auto out = server.WaitOutcome(id);
    ASSERT_TRUE(out.has_value()) << "no answer from the bootstrap";
    ASSERT_FALSE(out->is_error) << out->body;
    auto expected = delivery::TransformFirehoseEvent(event);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(out->body, *expected);
    auto j = nlohmann::json::parse(out->body);
    ASSERT_EQ(j["records"].size(), payloads.size());
    auto in = nlohmann::json::parse(event);
    for (size_t i = 0; i < payloads.size(); ++i) {
      EXPECT_EQ(j["records"][i]["recordId"], in["records"][i]["recordId"]);
    }
  }
  std::vector<std::string> beers_;
};

TEST_F(TransformBootstrapTest, AnswersFirehoseEventsLikeTheInProcessHandler) {
  RuntimeApiServer server;
  testing::ChildProcess child({TransformBinary()}, "", "", {{"AWS_LAMBDA_RUNTIME_API", server.address()}});
  ExpectSameAsInProcess(server, beers_);
  // A warm invocation, with a broken record among good ones.
  std::vector<std::string> mixed = {beers_[0], "not a beer", beers_[1]};
  ExpectSameAsInProcess(server, mixed);
  std::string id = server.Enqueue(lambda_testing::FirehoseEvent({beers_[2]}));
  auto out = server.WaitOutcome(id);
  ASSERT_TRUE(out && !out->is_error);
  auto j = nlohmann::json::parse(out->body);
  EXPECT_EQ(j["records"][0]["result"], "Ok");
  auto csv = Base64Decode(j["records"][0]["data"].get<std::string>());
  ASSERT_TRUE(csv.ok());
  auto beer = nlohmann::json::parse(beers_[2]);
  EXPECT_EQ(csv->rfind(std::to_string(beer["id"].get<int64_t>()) + ",", 0), 0u) << *csv;
  EXPECT_EQ(csv->back(), '\n');
}

TEST_F(TransformBootstrapTest, MalformedEventIsAFunctionErrorNotACrash) {
  RuntimeApiServer server;
  testing::ChildProcess child({TransformBinary()}, "", "", {{"AWS_LAMBDA_RUNTIME_API", server.address()}});
  std::string bad = server.Enqueue("{\"no\":\"records\"}");
  auto out = server.WaitOutcome(bad);
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->is_error);
  EXPECT_TRUE(child.running());
  ExpectSameAsInProcess(server, {beers_[3]});
}

TEST_F(TransformBootstrapTest, ExitsNonZeroWhenTheRuntimeApiFails) {
  RuntimeApiServer server;
  server.FailNextPoll();
  testing::ChildProcess child({TransformBinary()}, "", "", {{"AWS_LAMBDA_RUNTIME_API", server.address()}});
  EXPECT_EQ(child.Wait(std::chrono::seconds(20)), 1);
}

TEST_F(TransformBootstrapTest, WithoutRuntimeApiItRefusesToStart) {
  auto r = testing::RunCommand({TransformBinary()}, "", std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("AWS_LAMBDA_RUNTIME_API"), std::string::npos);
}

TEST_F(TransformBootstrapTest, PackagedZipRunsThroughTheBundledLoader) {
  testing::TempDir dir;
  std::string zip = dir.Join("transform.zip");
  auto pkg = testing::RunCommand({testing::SourceDir() + "/lambdas/package.sh", TransformBinary(), zip}, "",
                                 std::chrono::seconds(60));
  ASSERT_EQ(pkg.exit_code, 0) << pkg.err;
  std::string root = dir.Join("task");
  auto unzip = testing::RunCommand({"/usr/bin/unzip", "-q", zip, "-d", root}, "", std::chrono::seconds(60));
  ASSERT_EQ(unzip.exit_code, 0) << unzip.err;
  auto listing = testing::RunCommand({"/usr/bin/unzip", "-Z1", zip});
  EXPECT_NE(listing.out.find("bootstrap\n"), std::string::npos);
  EXPECT_NE(listing.out.find("lib/ld-linux-x86-64.so.2"), std::string::npos);
  EXPECT_NE(listing.out.find("lib/libcurl"), std::string::npos);
  EXPECT_EQ(::access((root + "/bootstrap").c_str(), X_OK), 0);

  RuntimeApiServer server;
  testing::ChildProcess child({root + "/bootstrap"}, "", "",
                              {{"AWS_LAMBDA_RUNTIME_API", server.address()}, {"LAMBDA_TASK_ROOT", root}});
  ExpectSameAsInProcess(server, {beers_[4], beers_[5]});
  // The process (the script exec'd the loader, same pid) maps the bundled libraries, not the host's.
  std::string maps = ReadFile("/proc/" + std::to_string(child.pid()) + "/maps");
  EXPECT_NE(maps.find(root + "/lib/ld-linux-x86-64.so.2"), std::string::npos);
  EXPECT_NE(maps.find(root + "/lib/libcurl"), std::string::npos);
  EXPECT_EQ(maps.find("/x86_64-linux-gnu/libcurl"), std::string::npos);
}

}  // namespace
}  // namespace brewline
