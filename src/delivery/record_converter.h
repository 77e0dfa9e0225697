// RecordConverter: turns source records into the bytes a delivery writes — as received (+ delimiter) for a
// delivery without a processor, or through the transformation function, checked as Firehose checks it, with
// failures turned into error-output lines. Deterministic for a deterministic function, which lets a crashed
// batch be rebuilt exactly (docs/exactly-once.md). Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "delivery/delivery_config.h"
#include "delivery/transform_invoker.h"
#include "stream/stream.h"

namespace brewline::delivery {

struct ConvertedRecord {
  enum class Kind { kData, kDropped, kFailed };
  Kind kind = Kind::kData;
  std::string bytes;  // kData: object bytes; kFailed: one error-output JSON line; kDropped: empty
};

class RecordConverter {
 public:
  // `invoker` is required when config.transform; both must outlive this.
  RecordConverter(const DeliveryConfig& config, TransformInvoker* invoker, Clock& clock);

  // Converts records[begin, end) of one shard, in order. Invocation failures are retried
  // config.transform_retries times, then the records fail with Lambda.FunctionError.
  std::vector<ConvertedRecord> Convert(const std::string& shard_id, const std::vector<stream::Record>& records,
                                       size_t begin, size_t end);

  uint64_t invocation_failures() const { return invocation_failures_; }

 private:
  void ConvertChunk(const std::string& shard_id, const std::vector<stream::Record>& records, size_t begin, size_t end,
                    std::vector<ConvertedRecord>* out);
  void FailRecord(const stream::Record& record, int attempts, const std::string& code, const std::string& message,
                  ConvertedRecord* out);

  const DeliveryConfig& config_;
  TransformInvoker* invoker_;
  Clock& clock_;
  uint64_t invocation_failures_ = 0;
  uint64_t invocation_counter_ = 0;
  std::string event_;
};

}  // namespace brewline::delivery
