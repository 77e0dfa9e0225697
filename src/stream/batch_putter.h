// BatchPutter: sends any number of records through Stream::PutRecords in batches of at most 500 records and
// 5 MiB, retrying failed entries (capped exponential backoff with jitter), and reports every record's final
// result exactly once, in input order, after its batch is final — so a caller that prints results can
// promise that every success it printed is durable. Works with any Stream (local or Kinesis).
// Not thread-safe; the stream and clock must outlive it.
#pragma once

#include <functional>
#include <vector>

#include "common/backoff.h"
#include "common/clock.h"
#include "stream/stream.h"

namespace brewline::stream {

struct BatchPutOptions {
  // Attempts per record, the first included; entries still failing afterwards are reported failed.
  BackoffPolicy retry{std::chrono::milliseconds(50), std::chrono::milliseconds(2000), 6};
  size_t max_records = 500;
  size_t max_bytes = 5u << 20;
};

class BatchPutter {
 public:
  // Called once per record, in input order.
  using ResultCallback = std::function<void(const PutRecordsEntryResult&)>;

  BatchPutter(Stream& stream, Clock& clock, ResultCallback on_result, BatchPutOptions options = {});
  BatchPutter(const BatchPutter&) = delete;
  BatchPutter& operator=(const BatchPutter&) = delete;

  // Queues a record (sending the current batch first if this one would not fit). A record that breaks
  // Kinesis's per-record constraints is reported at once as ValidationException, after everything before it.
  void Add(PutRecordInput input);
  // Sends what is queued and reports it.
  void Flush();
  // Batches (PutRecords calls that returned) so far; records that ended in an error so far.
  int calls() const { return calls_; }
  int failed() const { return failed_; }

 private:
  void Report(const PutRecordsEntryResult& r);

  Stream& stream_;
  Clock& clock_;
  ResultCallback on_result_;
  BatchPutOptions options_;
  Backoff backoff_;
  std::vector<PutRecordInput> pending_;
  size_t pending_bytes_ = 0;
  int calls_ = 0;
  int failed_ = 0;
};

}  // namespace brewline::stream
