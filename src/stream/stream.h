// The Stream seam: one named stream with Kinesis Data Streams semantics (see
// shared/docs/aws-contracts.md). Implemented by the durable local log (stream/local_*) and by the Kinesis
// client (aws/). Errors carry Kinesis's exception name in Status::type() (e.g. "ResourceNotFoundException",
// "InvalidArgumentException", "ExpiredIteratorException", "ProvisionedThroughputExceededException").
// Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace brewline::stream {

struct PutRecordInput {
  std::string partition_key;                      // 1–256 characters
  std::string data;                               // raw bytes (base64 only on the wire)
  std::optional<std::string> explicit_hash_key;   // decimal in [0, 2^128−1]; overrides MD5 routing
};

struct PutRecordOutput {
  std::string shard_id;
  std::string sequence_number;
};

// One entry of PutRecords: either a placement or an error (ErrorCode is
// ProvisionedThroughputExceededException or InternalFailure, as Kinesis).
struct PutRecordsEntryResult {
  std::string shard_id;
  std::string sequence_number;
  std::string error_code;
  std::string error_message;
  bool ok() const { return error_code.empty(); }
};

struct PutRecordsOutput {
  int failed_record_count = 0;
  std::vector<PutRecordsEntryResult> records;  // same order as the input
};

enum class IteratorType { kTrimHorizon, kLatest, kAtSequenceNumber, kAfterSequenceNumber, kAtTimestamp };

struct IteratorRequest {
  std::string shard_id;
  IteratorType type = IteratorType::kTrimHorizon;
  std::string sequence_number;  // AT_/AFTER_SEQUENCE_NUMBER
  int64_t timestamp_ms = 0;     // AT_TIMESTAMP
};

struct Record {
  std::string sequence_number;
  int64_t approximate_arrival_ms = 0;
  std::string partition_key;
  std::string data;
};

struct GetRecordsOutput {
  std::vector<Record> records;
  std::string next_shard_iterator;  // empty only when the shard is closed and fully read
  int64_t millis_behind_latest = 0;
};

struct ShardInfo {
  std::string shard_id;                  // shardId-000000000000
  std::string starting_hash_key;         // decimal
  std::string ending_hash_key;           // decimal
  std::string starting_sequence_number;
  std::string ending_sequence_number;    // empty while the shard is open
};

struct StreamSummary {
  std::string stream_name;
  std::string stream_arn;
  std::string stream_status = "ACTIVE";
  int retention_period_hours = 24;
  int64_t creation_ms = 0;
  int open_shard_count = 0;
  std::string encryption_type = "NONE";
};

class Stream {
 public:
  virtual ~Stream() = default;
  virtual const std::string& name() const = 0;

  // Returns once the record is durable.
  virtual Result<PutRecordOutput> PutRecord(const PutRecordInput& input) = 0;
  // Up to 500 records / 5 MiB. Partial failure is normal: the caller retries the failed entries.
  virtual Result<PutRecordsOutput> PutRecords(const std::vector<PutRecordInput>& input) = 0;
  virtual Result<std::vector<ShardInfo>> ListShards() = 0;
  virtual Result<StreamSummary> DescribeSummary() = 0;
  // An opaque iterator string valid for 5 minutes.
  virtual Result<std::string> GetShardIterator(const IteratorRequest& request) = 0;
  // At most `limit` records (1–10,000).
  virtual Result<GetRecordsOutput> GetRecords(const std::string& iterator, int limit) = 0;
};

// Durable consumer positions: consumer → shard → last processed sequence number. Each Set is atomic and
// durable before it returns. Thread-safe.
class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  virtual Result<std::optional<std::string>> Get(const std::string& consumer, const std::string& shard_id) = 0;
  virtual Result<std::map<std::string, std::string>> GetAll(const std::string& consumer) = 0;
  virtual Status Set(const std::string& consumer, const std::string& shard_id, const std::string& sequence_number) = 0;
};

const char* IteratorTypeName(IteratorType type);  // "TRIM_HORIZON", …
bool ParseIteratorType(const std::string& text, IteratorType* out);

}  // namespace brewline::stream
