// `brewline punkapi serve|fetch` as a user runs them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "test_util.h"
#include "testing/process.h"

namespace brewline::punkapi {
namespace {

using ::testing::HasSubstr;
using brewline::testing::BrewlineBinary;
using brewline::testing::RunCommand;

TEST(PunkApiCli, ServeFetchAndStopOnSigterm) {
  brewline::testing::TempDir dir;
  int port = brewline::testing::FreeTcpPort();
  brewline::testing::ChildProcess serve(
      {BrewlineBinary(), "punkapi", "serve", "--listen", "127.0.0.1:" + std::to_string(port)}, "", dir.Join("err"));
  ASSERT_TRUE(brewline::testing::WaitForPort(port));
  auto fetch = RunCommand({BrewlineBinary(), "punkapi", "fetch", "--url", "http://127.0.0.1:" + std::to_string(port)});
  EXPECT_EQ(fetch.exit_code, 0) << fetch.err;
  ASSERT_FALSE(fetch.out.empty());
  EXPECT_EQ(fetch.out.front(), '{');
  EXPECT_EQ(fetch.out.back(), '\n');
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(std::chrono::seconds(20)), 0);
  std::ifstream in(dir.Join("err"));
  std::string log((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THAT(log, HasSubstr("http://127.0.0.1:" + std::to_string(port) + "/v2/beers/random"));
}

TEST(PunkApiCli, MalformedDatasetStopsStartup) {
  brewline::testing::TempDir dir;
  std::ofstream(dir.Join("data.json")) << "[{\"id\":1,\"name\":\"a\"}";
  auto r = RunCommand({BrewlineBinary(), "punkapi", "serve", "--data", dir.Join("data.json"), "--listen", "127.0.0.1:0"},
                      "", std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir.Join("data.json") + ": malformed JSON at line 1"));
}

TEST(PunkApiCli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCommand({BrewlineBinary(), "punkapi", "serve", "--listen", "nonsense"}).exit_code, 2);
  EXPECT_EQ(RunCommand({BrewlineBinary(), "punkapi", "fetch", "--url", "ftp://x"}).exit_code, 2);
  EXPECT_EQ(RunCommand({BrewlineBinary(), "punkapi", "fetch", "--timeout", "soon"}).exit_code, 2);
  auto help = RunCommand({BrewlineBinary(), "punkapi", "serve", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--rate-limit"));
}

TEST(PunkApiCli, FetchFromNowhereFailsWithOneLine) {
  int port = brewline::testing::FreeTcpPort();
  auto r = RunCommand({BrewlineBinary(), "punkapi", "fetch", "--url", "http://127.0.0.1:" + std::to_string(port),
                       "--deadline", "2s"},
                      "", std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("error: GET http://127.0.0.1:"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
}

}  // namespace
}  // namespace brewline::punkapi
