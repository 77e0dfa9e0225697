// Capped exponential backoff with full jitter (delay = uniform(0, min(cap, base·2^attempt))), the policy every
// retrying component (HTTP clients, delivery to a store) uses, so that only one place decides how to wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace brewline {

struct BackoffPolicy {
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{10000};
  int max_attempts = 3;  // total attempts, the first included
};

class Backoff {
 public:
  explicit Backoff(BackoffPolicy policy, uint64_t seed = std::random_device{}()) : policy_(policy), rng_(seed) {}
  // The wait before retry number `attempt` (1 = the first retry).
  std::chrono::milliseconds Delay(int attempt);
  const BackoffPolicy& policy() const { return policy_; }

 private:
  BackoffPolicy policy_;
  std::mt19937_64 rng_;
};

}  // namespace brewline
