// LocalStream: the durable local implementation of the Stream seam, under <data-dir>/streams/<name>/:
//   stream.json               name, shard count, retention, creation time (written atomically)
//   shardId-000000000000/     one LocalShard per shard (segments + LOCK)
//   checkpoints/              LocalCheckpointStore's files
// Several processes may open the same stream: appends and recovery are serialised per shard by a flock, and
// reads catch up with other processes' durable records when they reach the end they know.
// Per-shard throughput limits (StreamOptions::limits, see stream/shard_limits.h) are enforced by each opened
// LocalStream on its own, on its Clock: they are per process, not shared through the files.
// Thread-safe. The FileSystem and Clock must outlive the stream.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/metrics.h"
#include "stream/hash_key.h"
#include "stream/shard.h"
#include "stream/shard_limits.h"
#include "stream/stream.h"

namespace brewline::stream {

inline constexpr int kMinRetentionHours = 24;
inline constexpr int kMaxRetentionHours = 8760;
inline constexpr int kMaxShards = 1000;

struct StreamOptions {
  int shard_count = 1;
  int retention_hours = 24;
  // Tuning, not part of the stream's definition (each process may choose its own).
  uint64_t segment_bytes = 64ull << 20;
  // Kinesis's per-shard write/read allowances, enforced by this process (ShardLimits::Kinesis() for product
  // paths). Unlimited by default so that tools and tests pushing many records on a FakeClock are unaffected.
  ShardLimits limits = ShardLimits::Unlimited();
  // Where brewline_stream_throttled_total{stream,shard,op} is counted; nullptr = MetricsRegistry::Default().
  MetricsRegistry* metrics = nullptr;
};

// Per-shard numbers for `status` and lag, computed from what is on disk (callable from any process).
struct ShardStats {
  std::string shard_id;
  std::string first_sequence_number;   // oldest retained record; empty when the shard is empty
  std::string latest_sequence_number;  // newest record; empty when the shard is empty
  uint64_t record_count = 0;           // retained records
  uint64_t bytes = 0;                  // segment bytes on disk
  int64_t latest_arrival_ms = 0;       // 0 when empty
  // Records (PutRecord/PutRecords) and GetRecords calls this process had rejected with
  // ProvisionedThroughputExceededException (the metrics registry's counters, so per process).
  uint64_t write_throttled = 0;
  uint64_t read_throttled = 0;
};

// <data-dir>/streams/<name>
std::string StreamDir(const std::string& data_dir, const std::string& name);
// Names of the streams under <data-dir>/streams (sorted); empty if there are none.
Result<std::vector<std::string>> ListStreams(FileSystem& fs, const std::string& data_dir);
// InvalidArgumentException unless the name matches [a-zA-Z0-9_.-]{1,128}.
Status ValidateStreamName(const std::string& name);

class LocalStream final : public Stream {
 public:
  // ResourceInUseException if the stream exists; InvalidArgumentException for a bad name, shard count or
  // retention.
  static Result<std::unique_ptr<LocalStream>> Create(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                                     const std::string& name, const StreamOptions& options);
  // ResourceNotFoundException if the stream does not exist. Only options.segment_bytes, limits and metrics are
  // used (the shard count and retention come from the stream's metadata).
  static Result<std::unique_ptr<LocalStream>> Open(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                                   const std::string& name, const StreamOptions& options = {});
  // Opens the stream, creating it with `options` first if it does not exist (for `brewline run`).
  static Result<std::unique_ptr<LocalStream>> OpenOrCreate(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                                           const std::string& name, const StreamOptions& options);
  ~LocalStream() override;

  const std::string& name() const override { return name_; }
  Result<PutRecordOutput> PutRecord(const PutRecordInput& input) override;
  Result<PutRecordsOutput> PutRecords(const std::vector<PutRecordInput>& input) override;
  Result<std::vector<ShardInfo>> ListShards() override;
  Result<StreamSummary> DescribeSummary() override;
  Result<std::string> GetShardIterator(const IteratorRequest& request) override;
  Result<GetRecordsOutput> GetRecords(const std::string& iterator, int limit) override;

  int shard_count() const { return static_cast<int>(shards_.size()); }
  const ShardLimits& limits() const { return limits_; }
  const std::string& dir() const { return dir_; }
  // Picks up other processes' appends first.
  Result<std::vector<ShardStats>> Stats();
  // How many records of `shard_id` come after `sequence_number` (all retained records when it is empty):
  // "records behind" for a consumer whose checkpoint is `sequence_number`.
  Result<uint64_t> RecordsAfter(const std::string& shard_id, const std::string& sequence_number);
  // Scans every segment of every shard; Corruption naming each damaged byte range.
  Status Verify();

 private:
  LocalStream(FileSystem& fs, Clock& clock, std::string dir, std::string name);
  Result<LocalShard*> ShardFor(const std::string& shard_id);
  Status Validate(const PutRecordInput& input, int* shard_index) const;
  // Admits one record of `bytes` into shard `index`'s write allowance; a rejection increments `throttled`.
  bool AdmitWrite(int index, int64_t bytes, Counter* throttled);
  Status Throttled(int index) const;

  // Per shard: the allowances and the rejection counters (owned by the metrics registry).
  struct ShardLimiter {
    std::unique_ptr<ShardThrottle> throttle;
    Counter* put_record_throttled = nullptr;
    Counter* put_records_throttled = nullptr;
    Counter* get_records_throttled = nullptr;
  };

  FileSystem& fs_;
  Clock& clock_;
  const std::string dir_;
  const std::string name_;
  StreamSummary summary_;
  std::vector<HashKeyRange> ranges_;
  std::vector<std::unique_ptr<LocalShard>> shards_;
  ShardLimits limits_;
  std::vector<ShardLimiter> limiters_;  // parallel to shards_
};

}  // namespace brewline::stream
