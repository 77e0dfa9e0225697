// Fixed-window rate limiting per client key (the client IP), as express-rate-limit did for the original API:
// each key may make `limit` requests per `window`, counted from its first request in the window.
// Memory is bounded: expired windows are pruned, and past `max_keys` live keys new keys are refused
// (counted as over the limit) rather than letting a flood of addresses grow the table. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "common/clock.h"

namespace brewline::punkapi {

struct RateDecision {
  bool allowed = true;
  int64_t limit = 0;
  int64_t remaining = 0;       // after this request
  int64_t reset_epoch_s = 0;   // when the window ends (X-RateLimit-Reset)
  int64_t retry_after_s = 0;   // seconds until the window ends, rounded up (Retry-After), when refused
};

class RateLimiter {
 public:
  // limit 0 disables limiting (every request allowed, no headers expected).
  RateLimiter(Clock& clock, int64_t limit, std::chrono::milliseconds window = std::chrono::hours(1),
              size_t max_keys = 100000);

  bool enabled() const { return limit_ > 0; }
  RateDecision Check(const std::string& key);

 private:
  struct Window {
    int64_t start_ms;
    int64_t count;
  };
  void PruneLocked(int64_t now_ms);

  Clock& clock_;
  const int64_t limit_;
  const int64_t window_ms_;
  const size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
  int64_t last_prune_ms_ = 0;
};

}  // namespace brewline::punkapi
