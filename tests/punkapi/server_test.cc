// The v2 server over real HTTP on an ephemeral loopback port.
#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "beer/json_array.h"
#include "punkapi/server.h"
#include "test_util.h"
#include "testing/process.h"

namespace brewline::punkapi {
namespace {

using ::testing::HasSubstr;

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    ASSERT_NE(test::RealDataset(), nullptr);
    options.metrics = &metrics_;
    options.threads = 4;
    server_ = std::make_unique<Server>(test::RealDataset(), options, clock_);
    ASSERT_TRUE(server_->Start("127.0.0.1", 0).ok());
    ASSERT_GT(server_->port(), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
  }
  httplib::Result Get(const std::string& path) { return client_->Get(path.c_str()); }

  FakeClock clock_{1'700'000'000'000};
  MetricsRegistry metrics_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, BeersPageIsTheDatasetTextByteForByte) {
  StartServer();
  std::ifstream in(test::DatasetPath());
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string file = ss.str();
  std::string all;
  for (int page = 1; page <= 5; ++page) {
    auto res = Get("/v2/beers?page=" + std::to_string(page) + "&per_page=80");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
    auto spans = beer::SplitJsonArray(res->body);
    ASSERT_TRUE(spans.ok());
    for (const auto& span : *spans) {
      // Each served beer is a verbatim slice of data.json, delimited as an array element there.
      size_t at = file.find(span.text);
      ASSERT_NE(at, std::string::npos);
      EXPECT_TRUE(file[at - 1] == '[' || file[at - 1] == ',');
      all += span.text;
    }
  }
  size_t dataset_bytes = 0;
  for (const auto& b : test::RealDataset()->beers()) dataset_bytes += b.json.size();
  EXPECT_EQ(all.size(), dataset_bytes);
  auto past = Get("/v2/beers?page=6&per_page=80");
  ASSERT_TRUE(past);
  EXPECT_EQ(past->body, "[]");
}

TEST_F(ServerTest, PythonSeesTheDatasetSortedById) {
  StartServer();
  auto r = brewline::testing::RunCommand(
      {"/usr/bin/python3", PUNKAPI_SERVED_PY, "http://127.0.0.1:" + std::to_string(server_->port()),
       test::DatasetPath()},
      "", std::chrono::seconds(60));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "OK 325\n");
}

TEST_F(ServerTest, SingleBeerAndErrors) {
  StartServer();
  auto one = Get("/v2/beers/204");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->status, 200);
  EXPECT_EQ(one->body, "[" + test::RealDataset()->Find(204)->json + "]");
  auto trailing = Get("/v2/beers/204/");
  ASSERT_TRUE(trailing);
  EXPECT_EQ(trailing->status, 200);

  auto missing = Get("/v2/beers/999");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->body, R"({"statusCode":404,"error":"Not Found","message":"No beer found that matches the ID 999"})");

  auto bad = Get("/v2/beers/abc");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->body,
            R"({"statusCode":400,"error":"Bad Request","message":"Invalid query params","data":[{"location":"params",)"
            R"("param":"beerId","msg":"beerId must be a number and greater than 0","value":"abc"}]})");
  auto zero = Get("/v2/beers/0");
  ASSERT_TRUE(zero);
  EXPECT_EQ(zero->status, 400);

  auto unknown = Get("/v2/nope?x=1");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(unknown->body, R"({"statusCode":404,"error":"Not Found","message":"No endpoint found that matches '/v2/nope?x=1'"})");
  EXPECT_EQ(unknown->get_header_value("Access-Control-Allow-Origin"), "*");

  auto post = client_->Post("/v2/beers", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);

  auto invalid = Get("/v2/beers?per_page=81&abv_gt=strong");
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 400);
  EXPECT_THAT(invalid->body, HasSubstr(R"("param":"per_page")"));
  EXPECT_THAT(invalid->body, HasSubstr(R"("param":"abv_gt","msg":"Must be a number greater than 0","value":"strong")"));
}

TEST_F(ServerTest, FiltersOverHttp) {
  StartServer();
  auto res = Get("/v2/beers?beer_name=cascade,_centennial");
  ASSERT_TRUE(res);
  auto spans = beer::SplitJsonArray(res->body);
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 1u);
  EXPECT_THAT(std::string((*spans)[0].text), HasSubstr("\"id\":204"));
  auto ids = Get("/v2/beers?ids=3%7C1&abv_gt=1");
  ASSERT_TRUE(ids);
  EXPECT_EQ(ids->body, "[" + test::RealDataset()->Find(1)->json + "," + test::RealDataset()->Find(3)->json + "]");
}

TEST_F(ServerTest, RandomNeverRepeatsTwiceInARow) {
  StartServer();
  std::string previous;
  std::set<std::string> seen;
  for (int i = 0; i < 60; ++i) {
    auto res = Get("/v2/beers/random");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    auto spans = beer::SplitJsonArray(res->body);
    ASSERT_TRUE(spans.ok());
    ASSERT_EQ(spans->size(), 1u);
    std::string text((*spans)[0].text);
    EXPECT_NE(text, previous);
    previous = text;
    seen.insert(text);
  }
  EXPECT_GT(seen.size(), 10u);  // 60 uniform draws from 325: a handful of repeats at most
}

TEST_F(ServerTest, RateLimitHeadersAnd429) {
  ServerOptions options;
  options.rate_limit = 3;
  StartServer(options);
  for (int i = 0; i < 3; ++i) {
    auto res = Get("/v2/beers/1");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("X-RateLimit-Limit"), "3");
    EXPECT_EQ(res->get_header_value("X-RateLimit-Remaining"), std::to_string(2 - i));
    EXPECT_EQ(res->get_header_value("X-RateLimit-Reset"), std::to_string(1'700'000'000 + 3600));
  }
  auto limited = Get("/v2/beers/1");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "3600");
  EXPECT_THAT(limited->body, HasSubstr("You have reached your limit on this ip address"));
  clock_.Advance(std::chrono::hours(1));
  auto again = Get("/v2/beers/1");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  // Responses are counted after they are written; Stop() joins the workers so every count has landed.
  server_->Stop();
  EXPECT_GE(metrics_.GetCounter("brewline_punkapi_rate_limited_total", "").value(), 1u);
  EXPECT_GE(metrics_.GetCounter("brewline_punkapi_responses_total", "", {{"code", "200"}}).value(), 4u);
}

TEST_F(ServerTest, RateLimitOffSendsNoHeaders) {
  ServerOptions options;
  options.rate_limit = 0;
  StartServer(options);
  auto res = Get("/v2/beers/1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_FALSE(res->has_header("X-RateLimit-Limit"));
}

TEST_F(ServerTest, CorsPreflight) {
  StartServer();
  httplib::Headers headers = {{"Origin", "http://example.com"}, {"Access-Control-Request-Method", "GET"}};
  auto res = client_->Options("/v2/beers", headers);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(res->get_header_value("Access-Control-Allow-Origin"), "*");
  EXPECT_THAT(res->get_header_value("Access-Control-Allow-Methods"), HasSubstr("GET"));
}

TEST_F(ServerTest, OversizedRequestIsRefused) {
  StartServer();
  auto res = client_->Post("/v2/beers", std::string(64 * 1024, 'x'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  auto long_uri = Get("/v2/beers?beer_name=" + std::string(20000, 'a'));
  ASSERT_TRUE(long_uri);
  EXPECT_GE(long_uri->status, 400);
}

TEST_F(ServerTest, StartTwiceAndStopAreSafe) {
  StartServer();
  EXPECT_FALSE(server_->Start("127.0.0.1", 0).ok());
  server_->Stop();
  server_->Stop();
  EXPECT_FALSE(server_->running());
  Server other(test::RealDataset());
  EXPECT_TRUE(other.Start("127.0.0.1", 0).ok());
  other.Stop();  // immediately after Start: must not hang
}

TEST_F(ServerTest, PortInUseIsUnavailable) {
  StartServer();
  Server second(test::RealDataset());
  Status s = second.Start("127.0.0.1", server_->port());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace brewline::punkapi
