// A Punk API v2 client (libcurl) for the ingest job and backfill.
//
// URL: either the full random-beer URL (ending in /beers/random) or a base to which /v2/beers/random is
// appended; pages are fetched from the sibling /beers endpoint. http and https only; TLS is always verified.
//
// Retries: connection errors, timeouts, 5xx and 429 are retried with capped exponential backoff and full jitter
// (common/backoff.h); a 429's Retry-After is honoured up to `max_retry_after`. Other 4xx and bodies that are
// not what the API promises are not retried. With the defaults a source that keeps failing yields its error
// within about 30 s (`deadline` bounds the whole call, waits included).
//
// Not thread-safe (one curl handle, kept for connection reuse); use one Client per thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "beer/beer.h"
#include "common/backoff.h"
#include "common/clock.h"
#include "common/result.h"

namespace brewline::punkapi {

inline constexpr const char* kDefaultPunkApiUrl = "http://127.0.0.1:8333";

struct ClientOptions {
  std::string url = kDefaultPunkApiUrl;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{8000};  // one attempt, connect included
  std::chrono::milliseconds deadline{30000};        // the whole call, retries and waits included
  BackoffPolicy backoff{std::chrono::milliseconds(500), std::chrono::milliseconds(4000), 3};
  std::chrono::milliseconds max_retry_after{10000};  // Retry-After above this is capped
  size_t max_body_bytes = 1 << 20;                   // larger responses are rejected
  std::string user_agent = "brewline/0.1 (+punkapi client)";
  std::string ca_file;  // extra CA bundle for https (empty = the system store)
  uint64_t backoff_seed = 0;  // 0 = random
};

struct RandomBeer {
  std::string json;        // the beer's JSON object exactly as received (the element of the one-element array)
  beer::CleanedBeer beer;  // its cleaned projection
};

// What happened on the wire, for logs and tests.
struct ClientStats {
  int attempts = 0;     // HTTP attempts made by the last call
  int last_status = 0;  // last HTTP status (0 = none)
};

class Client {
 public:
  // `clock` is used for backoff sleeps and the deadline (FakeClock makes retry tests fast); it must outlive the
  // client. InvalidArgument from the first call if the URL is not http(s).
  Client(ClientOptions options, Clock& clock = SystemClock::Get());
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // GET …/beers/random: the body must be a JSON array of exactly one valid beer.
  Result<RandomBeer> FetchRandom();
  // GET …/beers?page=P&per_page=N: the raw JSON objects of one page (an empty vector past the end).
  Result<std::vector<std::string>> FetchPage(int page, int per_page);

  const std::string& random_url() const { return random_url_; }
  const std::string& beers_url() const { return beers_url_; }
  const ClientStats& last_stats() const { return stats_; }

 private:
  struct Transport;
  Result<std::string> GetWithRetries(const std::string& url);

  ClientOptions options_;
  Clock& clock_;
  Backoff backoff_;
  Status url_status_;
  std::string random_url_, beers_url_;
  std::unique_ptr<Transport> transport_;
  beer::BeerParser parser_;
  ClientStats stats_;
};

// Resolves a user's URL into the random-beer and beers-page URLs (see the header comment).
Status ResolvePunkApiUrl(const std::string& url, std::string* random_url, std::string* beers_url);

}  // namespace brewline::punkapi
