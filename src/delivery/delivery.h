// Delivery: one Firehose-style delivery stream — a consumer of any stream::Stream that buffers records
// (size / interval hints), optionally transforms them, and writes objects into any store::ObjectStore,
// exactly once (docs/exactly-once.md).
//
// Lifetime and threads: Open() takes the delivery's lock (`<data-dir>/delivery/<name>/LOCK`; a second
// instance, in this or another process, is refused with FailedPrecondition) and holds it until destruction.
// One thread drives PollOnce/Run/Drain/FlushAll; stats() and the metrics may be read from any thread.
// The stream, store, clock, file system and invoker must outlive the Delivery.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "common/backoff.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/metrics.h"
#include "delivery/delivery_config.h"
#include "delivery/delivery_state.h"
#include "delivery/key_prefix.h"
#include "delivery/record_converter.h"
#include "delivery/transform_invoker.h"
#include "store/object_store.h"
#include "stream/stream.h"

namespace brewline::delivery {

struct DeliveryEnv {
  stream::Stream* stream = nullptr;
  store::ObjectStore* store = nullptr;
  Clock* clock = nullptr;
  FileSystem* fs = nullptr;
  std::string data_dir;                      // state goes to <data_dir>/delivery/<name>/
  TransformInvoker* invoker = nullptr;       // for config.transform; nullptr = the in-process transform
  MetricsRegistry* metrics = nullptr;        // nullptr = MetricsRegistry::Default()
};

struct PollResult {
  uint64_t records_read = 0;
  bool caught_up = false;  // every open shard returned no records
  // Some shard refused the read (ProvisionedThroughputExceededException: its read allowance, shared with the
  // stream's other consumers, is used up). Not an error: that shard is read again on the next poll.
  bool throttled = false;
};

class Delivery {
 public:
  static Result<std::unique_ptr<Delivery>> Open(const DeliveryConfig& config, const DeliveryEnv& env);
  ~Delivery();
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  // Finishes a pending batch if there is one, reads once from every shard, and flushes when a buffering hint
  // is reached. Errors (stream or store unavailable after retries) leave everything consistent for a retry.
  Result<PollResult> PollOnce(const StopSignal* stop = nullptr);
  // Polls until stopped, waiting poll_interval between idle polls and backing off after errors; flushes what is
  // buffered before returning (Firehose would keep it; we deliver it, as shutdown should lose nothing).
  Status Run(StopSignal& stop);
  // Reads until every shard is caught up, then flushes: `brewline deliver --once`.
  Status Drain(const StopSignal* stop = nullptr);
  // Writes whatever is buffered now, regardless of the hints.
  Status FlushAll(const StopSignal* stop = nullptr);

  DeliveryStats stats() const;
  const DeliveryConfig& config() const { return config_; }

 private:
  Delivery(const DeliveryConfig& config, const DeliveryEnv& env, std::unique_ptr<FileLock> lock, KeyPrefix prefix,
           KeyPrefix error_prefix, DeliveryState state);

  struct ShardBuffer {
    ShardRange range;
    std::string data;    // object bytes, in sequence order
    std::string errors;  // error-output lines
    uint64_t failed = 0;  // records in `errors`
  };
  struct ShardCursor {
    std::string iterator;
    std::string last_sequence;  // last record read (buffered or delivered); "" = none yet
    bool closed = false;
  };

  Status RefreshShards();
  Result<std::string> IteratorFor(const std::string& shard_id, const std::string& after_sequence);
  void Append(const std::string& shard_id, const stream::Record& record, ConvertedRecord converted);
  bool ShouldFlush() const;
  // Persist pending → write objects → commit (docs/exactly-once.md).
  Status FlushBuffer(const StopSignal* stop);
  Status WriteAndCommit(PendingBatch batch, bool redo, const StopSignal* stop);  // by value: it clears state_.pending
  // Rebuilds a pending batch left by a crash from the stream and completes it.
  Status RedoPending(const StopSignal* stop);
  Status PutWithRetry(const std::string& key, const std::string& data, const StopSignal* stop);
  Status DeleteWithRetry(const std::string& key, const StopSignal* stop);
  void ClearBuffer();
  void PublishStats(bool force);

  const DeliveryConfig config_;
  DeliveryEnv env_;
  std::unique_ptr<FileLock> lock_;
  std::string state_dir_;
  KeyPrefix prefix_;
  KeyPrefix error_prefix_;
  DeliveryState state_;
  std::unique_ptr<TransformInvoker> owned_invoker_;
  std::unique_ptr<RecordConverter> converter_;
  Backoff backoff_;
  std::mt19937_64 rng_;

  std::map<std::string, ShardCursor> cursors_;
  int64_t shards_listed_ms_ = -1;
  std::map<std::string, ShardBuffer> buffer_;
  uint64_t buffered_bytes_ = 0;
  uint64_t buffered_records_ = 0;
  int64_t oldest_arrival_ms_ = 0;
  int64_t buffer_started_nanos_ = 0;
  bool pending_in_memory_ = false;  // state_.pending describes buffer_ (a flush failed and will be retried)

  mutable std::mutex stats_mu_;
  DeliveryStats stats_;
  int64_t stats_written_ms_ = 0;

  Counter* delivered_records_total_;
  Counter* failed_records_total_;
  Counter* objects_total_;
  Counter* bytes_total_;
  Counter* store_failures_total_;
  Counter* invocation_failures_total_;
  Gauge* buffered_bytes_gauge_;
  Gauge* buffered_records_gauge_;
};

}  // namespace brewline::delivery
