#include "punkapi/rate_limiter.h"

namespace brewline::punkapi {

RateLimiter::RateLimiter(Clock& clock, int64_t limit, std::chrono::milliseconds window, size_t max_keys)
    : clock_(clock), limit_(limit), window_ms_(std::max<int64_t>(1, window.count())), max_keys_(max_keys) {}

void RateLimiter::PruneLocked(int64_t now_ms) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now_ms - it->second.start_ms >= window_ms_) {
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
  last_prune_ms_ = now_ms;
}

RateDecision RateLimiter::Check(const std::string& key) {
  RateDecision d;
  d.limit = limit_;
  if (limit_ <= 0) return d;
  const int64_t now = clock_.NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  // Prune at most once per window/60 so that the cost stays amortised.
  if (now - last_prune_ms_ >= window_ms_ / 60 || windows_.size() >= max_keys_) PruneLocked(now);
  auto it = windows_.find(key);
  if (it != windows_.end() && now - it->second.start_ms >= window_ms_) {
    it->second = {now, 0};
  }
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) {
      d.allowed = false;
      d.remaining = 0;
      d.reset_epoch_s = (now + window_ms_ + 999) / 1000;
      d.retry_after_s = (window_ms_ + 999) / 1000;
      return d;
    }
    it = windows_.emplace(key, Window{now, 0}).first;
  }
  Window& w = it->second;
  const int64_t end_ms = w.start_ms + window_ms_;
  d.reset_epoch_s = (end_ms + 999) / 1000;
  if (w.count >= limit_) {
    d.allowed = false;
    d.remaining = 0;
    d.retry_after_s = std::max<int64_t>(1, (end_ms - now + 999) / 1000);
    return d;
  }
  ++w.count;
  d.remaining = limit_ - w.count;
  return d;
}

}  // namespace brewline::punkapi
