#include "common/backoff.h"

#include <algorithm>

namespace brewline {

std::chrono::milliseconds Backoff::Delay(int attempt) {
  int64_t ceiling = policy_.base.count();
  for (int i = 1; i < attempt && ceiling < policy_.cap.count(); ++i) ceiling *= 2;
  ceiling = std::min<int64_t>(ceiling, policy_.cap.count());
  if (ceiling <= 0) return std::chrono::milliseconds(0);
  std::uniform_int_distribution<int64_t> dist(0, ceiling);
  return std::chrono::milliseconds(dist(rng_));
}

}  // namespace brewline
