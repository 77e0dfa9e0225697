// Kinesis's per-shard throughput limits for the local stream: write 1,000 records/s and 1 MiB/s, read
// 5 GetRecords calls/s and 2 MiB/s per shard (shared/docs/aws-contracts.md). A record or call over the
// allowance is rejected with ProvisionedThroughputExceededException, never delayed; callers back off and retry.
//
// Limits are runtime behaviour of one process, not part of the stream's definition: they are not persisted, and
// each opened LocalStream (one per process in the pipeline, shared by its producer and consumers) enforces its
// own buckets. With the pipeline as the stream's single writer that is exact; N processes writing one shard
// could together reach N× the rate.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::stream {

// Allowances per shard per second; 0 means "no limit" for that dimension.
struct ShardLimits {
  int64_t write_records_per_second = 0;
  int64_t write_bytes_per_second = 0;  // partition key + data, as Kinesis counts a record's size
  int64_t read_calls_per_second = 0;
  int64_t read_bytes_per_second = 0;   // partition key + data of the records returned

  static ShardLimits Kinesis();
  static ShardLimits Unlimited() { return {}; }
  bool unlimited() const {
    return write_records_per_second == 0 && write_bytes_per_second == 0 && read_calls_per_second == 0 &&
           read_bytes_per_second == 0;
  }
  bool operator==(const ShardLimits&) const = default;
};

// "kinesis" or "unlimited" (for config files and CLI flags); InvalidArgument otherwise.
Result<ShardLimits> ParseShardLimits(std::string_view text);
// "kinesis", "unlimited", or "custom" for anything else.
std::string ShardLimitsName(const ShardLimits& limits);

// A token bucket that refills continuously at `rate` per second up to one second's worth (`rate`), starting
// full. Amounts are kept in units·1e9 so that refills on a FakeClock are exact. Not thread-safe.
class TokenBucket {
 public:
  TokenBucket() = default;  // unlimited
  TokenBucket(int64_t rate_per_second, int64_t now_nanos);

  bool unlimited() const { return rate_ == 0; }
  // Takes `amount` if the bucket holds that much (after refilling to `now_nanos`); otherwise takes nothing.
  bool TryTake(int64_t amount, int64_t now_nanos);
  // True when the bucket holds at least `amount` (after refilling to `now_nanos`).
  bool Has(int64_t amount, int64_t now_nanos);
  // Takes `amount` unconditionally; the bucket may go into debt, which later refills must pay off.
  void Charge(int64_t amount, int64_t now_nanos);

 private:
  void Refill(int64_t now_nanos);

  int64_t rate_ = 0;
  __int128 capacity_ = 0;  // rate_ · 1e9
  __int128 tokens_ = 0;    // units · 1e9
  int64_t last_nanos_ = 0;
};

// One shard's write and read allowances. Thread-safe.
class ShardThrottle {
 public:
  ShardThrottle(const ShardLimits& limits, int64_t now_nanos);

  // One record of `bytes` (key + data): admitted and charged to both write buckets, or rejected and charged
  // nothing. A record of up to one second's byte allowance (1 MiB for Kinesis) fits an idle shard.
  bool TryWrite(int64_t bytes, int64_t now_nanos);
  // One GetRecords call: admitted (charged one call) unless the calls are used up or an earlier large read
  // left the byte allowance in debt — as Kinesis, where one 10 MiB read throttles the next ~5 s of reads.
  bool TryRead(int64_t now_nanos);
  // The bytes an admitted GetRecords returned.
  void ChargeRead(int64_t bytes, int64_t now_nanos);

 private:
  const bool unlimited_;  // the default: no lock taken on the hot path
  std::mutex mu_;
  TokenBucket write_records_;
  TokenBucket write_bytes_;
  TokenBucket read_calls_;
  TokenBucket read_bytes_;
};

}  // namespace brewline::stream
