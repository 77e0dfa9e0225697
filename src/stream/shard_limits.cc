#include "stream/shard_limits.h"

#include <algorithm>

namespace brewline::stream {
namespace {

constexpr int64_t kNanosPerSecond = 1000000000;

}  // namespace

ShardLimits ShardLimits::Kinesis() {
  ShardLimits l;
  l.write_records_per_second = 1000;
  l.write_bytes_per_second = 1 << 20;
  l.read_calls_per_second = 5;
  l.read_bytes_per_second = 2 << 20;
  return l;
}

Result<ShardLimits> ParseShardLimits(std::string_view text) {
  if (text == "kinesis") return ShardLimits::Kinesis();
  if (text == "unlimited") return ShardLimits::Unlimited();
  return InvalidArgument("shard limits must be \"kinesis\" or \"unlimited\", not \"" + std::string(text) + "\"");
}

std::string ShardLimitsName(const ShardLimits& limits) {
  if (limits == ShardLimits::Kinesis()) return "kinesis";
  if (limits.unlimited()) return "unlimited";
  return "custom";
}

TokenBucket::TokenBucket(int64_t rate_per_second, int64_t now_nanos)
    : rate_(std::max<int64_t>(0, rate_per_second)),
      capacity_(static_cast<__int128>(rate_) * kNanosPerSecond),
      tokens_(capacity_),
      last_nanos_(now_nanos) {}

void TokenBucket::Refill(int64_t now_nanos) {
  // A clock that steps backwards refills nothing (and does not rewind last_nanos_, so nothing is refilled twice).
  if (now_nanos <= last_nanos_) return;
  const __int128 elapsed = now_nanos - last_nanos_;
  last_nanos_ = now_nanos;
  tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
}

bool TokenBucket::Has(int64_t amount, int64_t now_nanos) {
  if (unlimited()) return true;
  Refill(now_nanos);
  return tokens_ >= static_cast<__int128>(amount) * kNanosPerSecond;
}

bool TokenBucket::TryTake(int64_t amount, int64_t now_nanos) {
  if (!Has(amount, now_nanos)) return false;
  Charge(amount, now_nanos);
  return true;
}

void TokenBucket::Charge(int64_t amount, int64_t now_nanos) {
  if (unlimited()) return;
  Refill(now_nanos);
  tokens_ -= static_cast<__int128>(amount) * kNanosPerSecond;
}

ShardThrottle::ShardThrottle(const ShardLimits& limits, int64_t now_nanos)
    : unlimited_(limits.unlimited()),
      write_records_(limits.write_records_per_second, now_nanos),
      write_bytes_(limits.write_bytes_per_second, now_nanos),
      read_calls_(limits.read_calls_per_second, now_nanos),
      read_bytes_(limits.read_bytes_per_second, now_nanos) {}

bool ShardThrottle::TryWrite(int64_t bytes, int64_t now_nanos) {
  if (unlimited_) return true;
  std::lock_guard<std::mutex> lock(mu_);
  // Check both before taking either, so a rejection charges nothing.
  if (!write_records_.Has(1, now_nanos) || !write_bytes_.Has(bytes, now_nanos)) return false;
  write_records_.Charge(1, now_nanos);
  write_bytes_.Charge(bytes, now_nanos);
  return true;
}

bool ShardThrottle::TryRead(int64_t now_nanos) {
  if (unlimited_) return true;
  std::lock_guard<std::mutex> lock(mu_);
  if (!read_bytes_.Has(0, now_nanos)) return false;
  return read_calls_.TryTake(1, now_nanos);
}

void ShardThrottle::ChargeRead(int64_t bytes, int64_t now_nanos) {
  if (unlimited_) return;
  std::lock_guard<std::mutex> lock(mu_);
  read_bytes_.Charge(bytes, now_nanos);
}

}  // namespace brewline::stream
