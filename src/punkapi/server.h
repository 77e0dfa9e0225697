// A Punk API v2 server over the punkapi-db dataset (cpp-httplib), behaving as the original api.punkapi.com/v2:
//   GET /v2/beers[?page&per_page&abv_gt…&ids]   JSON array sorted by id (filters: punkapi/query.h)
//   GET /v2/beers/{id}                          array of one beer; 404/400 in the original error shape
//   GET /v2/beers/random                        array of one beer, never the same beer twice in a row
// Beers are served byte-for-byte as in the dataset. Rate limit per client IP with X-RateLimit-* headers and
// 429 + Retry-After; CORS `*`. Deliberate deviations from the original: docs/punkapi.md.
//
// Lifetime: Start() binds and serves on a background thread until Stop() (or destruction). Thread-safe:
// Stop() may be called from any thread, e.g. a signal-watching one.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/status.h"
#include "punkapi/dataset.h"

namespace brewline::punkapi {

struct ServerOptions {
  int64_t rate_limit = 3600;                          // requests per window per client IP; 0 = no limit
  std::chrono::milliseconds rate_window = std::chrono::hours(1);
  size_t threads = 8;                                 // worker threads (each serves one connection at a time)
  size_t max_body_bytes = 16 * 1024;                  // request bodies (the API has none); URI ≤ 8 KiB by httplib
  std::chrono::milliseconds read_timeout{5000};       // per request read (slowloris bound)
  std::chrono::milliseconds write_timeout{5000};
  MetricsRegistry* metrics = nullptr;                 // nullptr = MetricsRegistry::Default()
  uint64_t seed = 0;                                  // random-beer RNG seed; 0 = from std::random_device
};

class Server {
 public:
  Server(std::shared_ptr<const Dataset> dataset, ServerOptions options = {}, Clock& clock = SystemClock::Get());
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds host:port (port 0 = an ephemeral port, see port()) and starts serving in the background.
  // Unavailable if the address cannot be bound; FailedPrecondition if already started.
  Status Start(const std::string& host = "127.0.0.1", int port = 0);
  // Stops accepting, finishes in-flight requests, joins the thread. Idempotent.
  void Stop();
  // The bound port, or 0 before Start.
  int port() const;
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace brewline::punkapi
