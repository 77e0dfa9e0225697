// The client against a local misbehaving server: every case ends in success or one clear error, quickly.
// Backoff sleeps go through a FakeClock, so retry sequences cost no real time.
#include <httplib.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "punkapi/client.h"
#include "punkapi/server.h"
#include "test_util.h"
#include "testing/process.h"

namespace brewline::punkapi {
namespace {

using ::testing::HasSubstr;

constexpr const char* kBeer = R"({"id":7,"name":"Misfit, the \"odd\" one","abv":4.50,"ibu":null,"ph":4})";

class MisbehavingServer {
 public:
  MisbehavingServer() {
    http_.Get(R"(/(\w+)/v2/beers/random)", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string mode = req.matches[1];
      int n = ++hits_;
      if (mode == "ok") {
        res.set_content(std::string("[ ") + kBeer + " ]\n", "application/json");
      } else if (mode == "html") {
        res.set_content("<html><body>502 Bad Gateway</body></html>", "text/html");
      } else if (mode == "truncated") {
        res.set_content(std::string("[") + kBeer, "application/json");
      } else if (mode == "empty") {
        res.set_content("[]", "application/json");
      } else if (mode == "two") {
        res.set_content(std::string("[") + kBeer + "," + kBeer + "]", "application/json");
      } else if (mode == "object") {
        res.set_content(kBeer, "application/json");
      } else if (mode == "wrongtypes") {
        res.set_content(R"([{"id":"7","name":"x"}])", "application/json");
      } else if (mode == "big") {
        std::string body = std::string("[{\"id\":1,\"name\":\"") + std::string(2 << 20, 'x') + "\"}]";
        res.set_content(body, "application/json");
      } else if (mode == "slow") {
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        res.set_content(std::string("[") + kBeer + "]", "application/json");
      } else if (mode == "flaky") {
        if (n == 1) {
          res.status = 500;
          res.set_content("oops", "text/plain");
        } else {
          res.set_content(std::string("[") + kBeer + "]", "application/json");
        }
      } else if (mode == "down") {
        res.status = 503;
        res.set_content("maintenance", "text/plain");
      } else if (mode == "limited") {
        if (n == 1) {
          res.status = 429;
          res.set_header("Retry-After", "2");
          res.set_content("slow down", "text/plain");
        } else {
          res.set_content(std::string("[") + kBeer + "]", "application/json");
        }
      } else if (mode == "greedy") {
        res.status = 429;
        res.set_header("Retry-After", "86400");
      } else if (mode == "gone") {
        res.status = 404;
        res.set_content("no such thing", "text/plain");
      } else {
        res.status = 400;
      }
    });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    // stop() is a no-op until the listener runs; wait for it so the destructor cannot hang.
    for (int i = 0; i < 5000 && !http_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_TRUE(http_.is_running());
  }
  ~MisbehavingServer() {
    http_.stop();
    thread_.join();
  }
  std::string Base(const std::string& mode) const { return "http://127.0.0.1:" + std::to_string(port_) + "/" + mode; }
  int hits() const { return hits_; }

 private:
  httplib::Server http_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> hits_{0};
};

class ClientTest : public ::testing::Test {
 protected:
  Result<RandomBeer> Fetch(const std::string& mode, ClientOptions options = {}) {
    options.url = server_.Base(mode);
    options.backoff_seed = 42;
    Client client(options, clock_);
    const int64_t real_start = SystemClock::Get().MonotonicNanos();
    auto r = client.FetchRandom();
    real_ms_ = (SystemClock::Get().MonotonicNanos() - real_start) / 1000000;
    stats_ = client.last_stats();
    return r;
  }
  void ExpectError(const Result<RandomBeer>& r, StatusCode code, const std::string& text) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_THAT(r.status().message(), HasSubstr(text));
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);  // one line
    EXPECT_LT(real_ms_, 10000);
  }

  MisbehavingServer server_;
  FakeClock clock_;
  int64_t real_ms_ = 0;
  ClientStats stats_;
};

TEST_F(ClientTest, ValidResponseKeepsTheRawObject) {
  auto r = Fetch("ok");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->json, kBeer);
  EXPECT_EQ(r->beer.id, 7);
  EXPECT_EQ(r->beer.abv, 4.5);
  EXPECT_FALSE(r->beer.ibu);
  EXPECT_EQ(stats_.attempts, 1);
}

TEST_F(ClientTest, BadBodiesAreRejectedWithoutRetry) {
  ExpectError(Fetch("html"), StatusCode::kCorruption, "not a JSON array of one beer: malformed JSON");
  EXPECT_EQ(stats_.attempts, 1);
  ExpectError(Fetch("truncated"), StatusCode::kCorruption, "malformed JSON");
  ExpectError(Fetch("empty"), StatusCode::kCorruption, "exactly one beer, got 0 elements");
  ExpectError(Fetch("two"), StatusCode::kCorruption, "exactly one beer, got 2 elements");
  ExpectError(Fetch("object"), StatusCode::kCorruption, "expected a JSON array, got object");
  ExpectError(Fetch("wrongtypes"), StatusCode::kCorruption, "invalid beer: field 'id'");
}

TEST_F(ClientTest, OversizedBodyIsRejected) {
  ExpectError(Fetch("big"), StatusCode::kFailedPrecondition, "exceeds 1048576 bytes");
  EXPECT_EQ(stats_.attempts, 1);
}

TEST_F(ClientTest, SlowerThanTheTimeoutIsDeadlineExceeded) {
  ClientOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  options.backoff.max_attempts = 2;
  ExpectError(Fetch("slow", options), StatusCode::kDeadlineExceeded, "timed out");
  EXPECT_EQ(stats_.attempts, 2);
}

TEST_F(ClientTest, ServerErrorThenSuccessIsRetried) {
  auto r = Fetch("flaky");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(stats_.attempts, 2);
}

TEST_F(ClientTest, PersistentServerErrorGivesUpAfterTheAttempts) {
  ExpectError(Fetch("down"), StatusCode::kUnavailable, "HTTP 503: maintenance (after 3 attempts)");
  EXPECT_EQ(server_.hits(), 3);
}

TEST_F(ClientTest, TooManyRequestsHonoursRetryAfter) {
  const int64_t before = clock_.NowMillis();
  auto r = Fetch("limited");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(stats_.attempts, 2);
  EXPECT_GE(clock_.NowMillis() - before, 2000);  // waited at least Retry-After (on the fake clock)
}

TEST_F(ClientTest, RetryAfterIsCapped) {
  ClientOptions options;
  options.max_retry_after = std::chrono::milliseconds(3000);
  const int64_t before = clock_.NowMillis();
  ExpectError(Fetch("greedy", options), StatusCode::kResourceExhausted, "HTTP 429");
  EXPECT_EQ(stats_.attempts, 3);
  EXPECT_LE(clock_.NowMillis() - before, 2 * 4000);
}

TEST_F(ClientTest, RetryAfterBeyondTheDeadlineGivesUpEarly) {
  ClientOptions options;
  options.max_retry_after = std::chrono::hours(1);
  ExpectError(Fetch("greedy", options), StatusCode::kResourceExhausted, "would pass the 30000 ms deadline");
  EXPECT_EQ(stats_.attempts, 1);
}

TEST_F(ClientTest, OtherClientErrorsAreNotRetried) {
  ExpectError(Fetch("gone"), StatusCode::kNotFound, "HTTP 404: no such thing");
  EXPECT_EQ(stats_.attempts, 1);
  ExpectError(Fetch("teapot"), StatusCode::kFailedPrecondition, "HTTP 400");
  EXPECT_EQ(stats_.attempts, 1);
}

TEST_F(ClientTest, ConnectionRefusedIsUnavailableAfterRetries) {
  ClientOptions options;
  options.url = "http://127.0.0.1:" + std::to_string(brewline::testing::FreeTcpPort());
  Client client(options, clock_);
  auto r = client.FetchRandom();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(r.status().message(), HasSubstr("(after 3 attempts)"));
  EXPECT_EQ(client.last_stats().attempts, 3);
}

TEST(ResolvePunkApiUrl, FullAndBaseForms) {
  std::string random, beers;
  ASSERT_TRUE(ResolvePunkApiUrl("https://api.example.com/v2/beers/random/", &random, &beers).ok());
  EXPECT_EQ(random, "https://api.example.com/v2/beers/random");
  EXPECT_EQ(beers, "https://api.example.com/v2/beers");
  ASSERT_TRUE(ResolvePunkApiUrl("http://127.0.0.1:8333/", &random, &beers).ok());
  EXPECT_EQ(random, "http://127.0.0.1:8333/v2/beers/random");
  EXPECT_EQ(beers, "http://127.0.0.1:8333/v2/beers");
  EXPECT_EQ(ResolvePunkApiUrl("ftp://x", &random, &beers).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ResolvePunkApiUrl("http://x/?a=b", &random, &beers).code(), StatusCode::kInvalidArgument);
  ClientOptions file_url;
  file_url.url = "file:///etc/passwd";
  Client bad(file_url);
  EXPECT_EQ(bad.FetchRandom().status().code(), StatusCode::kInvalidArgument);
}

TEST(ClientAgainstServer, FetchRandomAndPages) {
  ASSERT_NE(test::RealDataset(), nullptr);
  MetricsRegistry metrics;
  ServerOptions server_options;
  server_options.rate_limit = 0;
  server_options.metrics = &metrics;
  Server server(test::RealDataset(), server_options);
  ASSERT_TRUE(server.Start().ok());
  ClientOptions options;
  options.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v2/beers/random";
  Client client(options);
  auto r = client.FetchRandom();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->json, test::RealDataset()->Find(r->beer.id)->json);
  size_t total = 0;
  for (int page = 1;; ++page) {
    auto beers = client.FetchPage(page, 80);
    ASSERT_TRUE(beers.ok()) << beers.status().ToString();
    if (beers->empty()) break;
    EXPECT_EQ(beers->front(), test::RealDataset()->beers()[total].json);
    total += beers->size();
  }
  EXPECT_EQ(total, 325u);
  EXPECT_EQ(client.FetchPage(0, 10).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace brewline::punkapi
