// IngestJob: the scheduled ingest. Per Scheduled Event it fetches one random beer, validates it against the
// cleaned schema's parser, and puts it on the stream with partition key = the beer's id and data = the beer's
// JSON object exactly as received. The same object runs behind the local scheduler and in the AWS ingest
// Lambda: it needs only a BeerSource, a stream::Stream and a Clock.
//
// Failures (source down, 429, garbage, timeouts, an invalid beer, a failed put) are logged with their reason
// and counted (here and in the metrics registry), and returned as a Status: nothing throws, nothing crashes.
// Thread-safety: RunOnce/Backfill are serialised by an internal mutex (a run never overlaps another);
// stats() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "common/backoff.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/status.h"
#include "pipeline/beer_source.h"
#include "stream/stream.h"

namespace brewline::pipeline {

struct IngestOptions {
  // Retries of a retryable put failure (throttling, I/O) within one run.
  BackoffPolicy put_retry{std::chrono::milliseconds(50), std::chrono::milliseconds(2000), 4};
  int backfill_page_size = 80;  // the Punk API's maximum per_page
  MetricsRegistry* metrics = &MetricsRegistry::Default();
};

struct IngestStats {
  uint64_t runs = 0;
  uint64_t ingested = 0;        // records put
  uint64_t fetch_failures = 0;  // the source failed (HTTP error, timeout, not JSON)
  uint64_t invalid = 0;         // the source answered with something that is not a valid beer
  uint64_t put_failures = 0;    // the stream refused the record after retries
  uint64_t bad_events = 0;      // the trigger was not a Scheduled Event
  int64_t last_run_ms = 0;      // when the latest run finished (0 = never)
  bool last_ok = false;
  std::string last_result;      // "ok id=42 seq=…" or the error
};

struct BackfillStats {
  int pages = 0;
  uint64_t beers = 0;     // put on the stream
  uint64_t invalid = 0;   // skipped as invalid
};

class IngestJob {
 public:
  // `source`, `stream` and `clock` must outlive the job.
  IngestJob(BeerSource& source, stream::Stream& stream, Clock& clock, IngestOptions options = {});
  IngestJob(const IngestJob&) = delete;
  IngestJob& operator=(const IngestJob&) = delete;

  // One tick. `scheduled_event_json` is the EventBridge Scheduled Event that triggered it (schedule/
  // scheduled_event.h); anything else is refused (InvalidArgument) and counted.
  Status RunOnce(std::string_view scheduled_event_json);

  // Called after every page: pages done, beers put so far, beers skipped as invalid.
  using Progress = std::function<void(const BackfillStats&)>;
  // The whole catalogue: pages of `backfill_page_size` from page 1 until a short or empty page, each page put
  // with PutRecords (failed entries retried). Invalid beers are skipped and counted; a source or stream
  // failure stops the backfill with its error. `stop` (optional) ends it between pages with Cancelled.
  Result<BackfillStats> Backfill(const Progress& progress = nullptr, const StopSignal* stop = nullptr);

  IngestStats stats() const;

 private:
  Status Fail(uint64_t IngestStats::*counter, Counter* metric, Status status);
  Status PutWithRetry(const stream::PutRecordInput& input, std::string* sequence);

  BeerSource& source_;
  stream::Stream& stream_;
  Clock& clock_;
  IngestOptions options_;
  Backoff backoff_;
  std::mutex run_mu_;
  mutable std::mutex stats_mu_;
  IngestStats stats_;
  Counter* m_runs_;
  Counter* m_ingested_;
  Counter* m_fetch_failures_;
  Counter* m_invalid_;
  Counter* m_put_failures_;
  Counter* m_bad_events_;
};

}  // namespace brewline::pipeline
