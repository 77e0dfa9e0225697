// The durable state of one delivery, in `<data-dir>/delivery/<name>/state.json` (written atomically), which
// is what makes delivery exactly-once (docs/exactly-once.md):
// - checkpoints: per shard, the last sequence number whose record is in the bucket;
// - pending: the batch being written, if any — its object keys and, per shard, the exact inclusive range of
//   sequence numbers it holds. A pending batch is redone (same records, same keys) before anything else.
// Also `stats.json` beside it: a snapshot for `brewline status` in another process.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/file_system.h"
#include "common/result.h"

namespace brewline::delivery {

struct ShardRange {
  std::string first_sequence;  // inclusive
  std::string last_sequence;   // inclusive
  uint64_t records = 0;
};

struct PendingBatch {
  uint64_t batch_id = 0;
  std::string data_key;   // the object for delivered records (not written when there are none)
  std::string error_key;  // the error-output object (not written when there are no failures)
  int64_t oldest_arrival_ms = 0;
  std::map<std::string, ShardRange> ranges;  // shard id → records in the batch
};

struct DeliveryState {
  std::map<std::string, std::string> checkpoints;  // shard id → last delivered sequence number
  std::optional<PendingBatch> pending;
  uint64_t next_batch_id = 1;
  // Totals, committed together with the checkpoints so they count each record once.
  uint64_t delivered_records = 0;  // records that went to the data object (Ok) or were Dropped
  uint64_t failed_records = 0;     // records written to the error output
  uint64_t delivered_objects = 0;
  uint64_t delivered_bytes = 0;    // object bytes as stored (after compression)
};

// A missing file is a fresh state; a damaged one is Corruption.
Result<DeliveryState> LoadDeliveryState(FileSystem& fs, const std::string& state_dir);
Status SaveDeliveryState(FileSystem& fs, const std::string& state_dir, const DeliveryState& state);

// A point-in-time view of a delivery, also persisted for other processes.
struct DeliveryStats {
  std::string name;
  uint64_t buffered_bytes = 0;
  uint64_t buffered_records = 0;
  uint64_t delivered_records = 0;
  uint64_t delivered_objects = 0;
  uint64_t delivered_bytes = 0;
  uint64_t failed_records = 0;
  uint64_t store_failures = 0;       // failed store writes (each retried)
  uint64_t invocation_failures = 0;  // failed transformation invocations
  int64_t last_flush_ms = 0;
  int64_t updated_ms = 0;
};

Status SaveDeliveryStats(FileSystem& fs, const std::string& state_dir, const DeliveryStats& stats);
// Reads `<data-dir>/delivery/<name>/stats.json`; NotFound if that delivery never ran.
Result<DeliveryStats> ReadDeliveryStats(FileSystem& fs, const std::string& data_dir, const std::string& name);

// `<data-dir>/delivery/<name>`.
std::string DeliveryStateDir(const std::string& data_dir, const std::string& name);

// Orders Kinesis sequence numbers (decimal strings without leading zeros).
bool SequenceLess(const std::string& a, const std::string& b);

}  // namespace brewline::delivery
