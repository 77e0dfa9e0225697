#include "stream/batch_putter.h"

#include "stream/hash_key.h"

namespace brewline::stream {

BatchPutter::BatchPutter(Stream& stream, Clock& clock, ResultCallback on_result, BatchPutOptions options)
    : stream_(stream), clock_(clock), on_result_(std::move(on_result)), options_(options), backoff_(options.retry) {}

void BatchPutter::Report(const PutRecordsEntryResult& r) {
  if (!r.ok()) ++failed_;
  on_result_(r);
}

void BatchPutter::Add(PutRecordInput input) {
  const size_t bytes = input.partition_key.size() + input.data.size();
  std::string invalid;
  if (input.partition_key.empty() || input.partition_key.size() > 256) {
    invalid = "PartitionKey must be 1 to 256 characters long";
  } else if (bytes > (1u << 20)) {
    invalid = "record size (partition key + data) exceeds the 1 MiB limit";
  } else if (input.explicit_hash_key && !ParseHashKey(*input.explicit_hash_key).ok()) {
    invalid = "ExplicitHashKey must be a decimal integer in [0, 2^128-1]";
  }
  if (!invalid.empty()) {
    Flush();
    PutRecordsEntryResult r;
    r.error_code = "ValidationException";
    r.error_message = invalid;
    Report(r);
    return;
  }
  if (!pending_.empty() && (pending_.size() >= options_.max_records || pending_bytes_ + bytes > options_.max_bytes)) {
    Flush();
  }
  pending_bytes_ += bytes;
  pending_.push_back(std::move(input));
}

void BatchPutter::Flush() {
  if (pending_.empty()) return;
  std::vector<PutRecordsEntryResult> results(pending_.size());
  std::vector<size_t> remaining(pending_.size());
  for (size_t i = 0; i < remaining.size(); ++i) remaining[i] = i;
  for (int attempt = 1; !remaining.empty(); ++attempt) {
    std::vector<PutRecordInput> batch;
    batch.reserve(remaining.size());
    for (size_t i : remaining) batch.push_back(pending_[i]);
    auto out = stream_.PutRecords(batch);
    ++calls_;
    std::vector<size_t> retry;
    for (size_t k = 0; k < remaining.size(); ++k) {
      PutRecordsEntryResult r;
      if (!out.ok()) {
        r.error_code = out.status().type().empty() ? "InternalFailure" : out.status().type();
        r.error_message = out.status().message();
      } else {
        r = out->records[k];
      }
      results[remaining[k]] = r;
      // Whole-call validation errors will not get better by retrying; per-record failures may.
      const bool retryable = out.ok() || out.status().IsRetryable();
      if (!r.ok() && retryable) retry.push_back(remaining[k]);
    }
    if (retry.empty() || attempt >= options_.retry.max_attempts) break;
    remaining = std::move(retry);
    clock_.SleepFor(backoff_.Delay(attempt));
  }
  for (const auto& r : results) Report(r);
  pending_.clear();
  pending_bytes_ = 0;
}

}  // namespace brewline::stream
