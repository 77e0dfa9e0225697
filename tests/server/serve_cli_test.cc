// `brewline serve` as a user runs it: help, usage errors, serving over a data dir, clean stop on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>

#include <csignal>

#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::server {
namespace {

using brewline::testing::BrewlineBinary;
using brewline::testing::RunCommand;

TEST(ServeCli, HelpAndUsageErrors) {
  auto help = RunCommand({BrewlineBinary(), "serve", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--listen"), std::string::npos);
  auto bad = RunCommand({BrewlineBinary(), "serve", "--listen", "host:notaport"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--listen"), std::string::npos);
}

TEST(ServeCli, ServesAnEmptyDataDirAndStopsCleanly) {
  brewline::testing::TempDir dir;
  const int port = brewline::testing::FreeTcpPort();
  brewline::testing::ChildProcess serve({BrewlineBinary(), "serve", "--data-dir", dir.path(), "--listen",
                                         "127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(brewline::testing::WaitForPort(port));
  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto predict = client.Post("/v1/predict", R"({"abv":5})", "application/json");
  ASSERT_TRUE(predict);
  EXPECT_EQ(predict->status, 503);  // no model in an empty data dir: said, not crashed
  auto status = client.Get("/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  EXPECT_NE(status->body.find("\"scorer\""), std::string::npos);
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(std::chrono::seconds(20)), 0);
}

}  // namespace
}  // namespace brewline::server
