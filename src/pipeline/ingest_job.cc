#include "pipeline/ingest_job.h"

#include "beer/beer.h"
#include "common/log.h"
#include "schedule/scheduled_event.h"

namespace brewline::pipeline {
namespace {

constexpr const char* kFailuresName = "brewline_ingest_failures_total";
constexpr const char* kFailuresHelp = "Ingest runs that failed, by reason (fetch, invalid, put, event).";

}  // namespace

IngestJob::IngestJob(BeerSource& source, stream::Stream& stream, Clock& clock, IngestOptions options)
    : source_(source), stream_(stream), clock_(clock), options_(options), backoff_(options.put_retry) {
  MetricsRegistry& m = *options_.metrics;
  m_runs_ = &m.GetCounter("brewline_ingest_runs_total", "Ingest runs (one per schedule tick).");
  m_ingested_ = &m.GetCounter("brewline_ingest_records_total", "Beers put on the stream by ingest and backfill.");
  m_fetch_failures_ = &m.GetCounter(kFailuresName, kFailuresHelp, {{"reason", "fetch"}});
  m_invalid_ = &m.GetCounter(kFailuresName, kFailuresHelp, {{"reason", "invalid"}});
  m_put_failures_ = &m.GetCounter(kFailuresName, kFailuresHelp, {{"reason", "put"}});
  m_bad_events_ = &m.GetCounter(kFailuresName, kFailuresHelp, {{"reason", "event"}});
}

IngestStats IngestJob::stats() const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  return stats_;
}

Status IngestJob::Fail(uint64_t IngestStats::*counter, Counter* metric, Status status) {
  metric->Inc();
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.*counter += 1;
    stats_.last_run_ms = clock_.NowMillis();
    stats_.last_ok = false;
    stats_.last_result = status.ToString();
  }
  log::Warn("ingest.failed", {{"source", source_.Describe()}, {"reason", status.ToString()}});
  return status;
}

Status IngestJob::PutWithRetry(const stream::PutRecordInput& input, std::string* sequence) {
  Status last;
  for (int attempt = 0; attempt < options_.put_retry.max_attempts; ++attempt) {
    if (attempt > 0) clock_.SleepFor(backoff_.Delay(attempt));
    auto out = stream_.PutRecord(input);
    if (out.ok()) {
      *sequence = out->sequence_number;
      return Status::OK();
    }
    last = out.status();
    if (!last.IsRetryable()) break;
  }
  return last;
}

Status IngestJob::RunOnce(std::string_view scheduled_event_json) {
  std::lock_guard<std::mutex> run_lock(run_mu_);
  m_runs_->Inc();
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.runs++;
  }
  auto event = schedule::ParseScheduledEvent(scheduled_event_json);
  if (!event.ok()) return Fail(&IngestStats::bad_events, m_bad_events_, event.status());

  auto fetched = source_.FetchRandom();
  if (!fetched.ok()) {
    return Fail(&IngestStats::fetch_failures, m_fetch_failures_, fetched.status().WithContext("fetch random beer"));
  }
  auto beer = beer::ParseBeer(*fetched);
  if (!beer.ok()) {
    return Fail(&IngestStats::invalid, m_invalid_,
                InvalidArgument("source sent an invalid beer: " + beer.status().message()));
  }
  stream::PutRecordInput input;
  input.partition_key = std::to_string(beer->id);
  input.data = std::move(*fetched);
  std::string sequence;
  Status put = PutWithRetry(input, &sequence);
  if (!put.ok()) return Fail(&IngestStats::put_failures, m_put_failures_, put.WithContext("put record"));

  m_ingested_->Inc();
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.ingested++;
    stats_.last_run_ms = clock_.NowMillis();
    stats_.last_ok = true;
    stats_.last_result = "ok id=" + input.partition_key + " seq=" + sequence;
  }
  log::Info("ingest.ok", {{"id", static_cast<long long>(beer->id)},
                          {"name", beer->name},
                          {"sequence", sequence},
                          {"event", event->id}});
  return Status::OK();
}

Result<BackfillStats> IngestJob::Backfill(const Progress& progress, const StopSignal* stop) {
  std::lock_guard<std::mutex> run_lock(run_mu_);
  BackfillStats done;
  const int per_page = options_.backfill_page_size;
  beer::BeerParser parser;
  for (int page = 1;; ++page) {
    if (stop != nullptr && stop->stop_requested()) return Cancelled("backfill stopped after page " + std::to_string(page - 1));
    auto beers = source_.FetchPage(page, per_page);
    if (!beers.ok()) {
      return Fail(&IngestStats::fetch_failures, m_fetch_failures_,
                  beers.status().WithContext("fetch page " + std::to_string(page)));
    }
    std::vector<stream::PutRecordInput> batch;
    for (std::string& json : *beers) {
      auto beer = parser.Parse(json);
      if (!beer.ok()) {
        done.invalid++;
        m_invalid_->Inc();
        log::Warn("ingest.backfill_invalid", {{"page", page}, {"reason", beer.status().message()}});
        continue;
      }
      batch.push_back({std::to_string(beer->id), std::move(json), std::nullopt});
    }
    // PutRecords; partial failure is normal, so retry only the failed entries with backoff.
    for (int attempt = 0; !batch.empty(); ++attempt) {
      if (attempt >= options_.put_retry.max_attempts) {
        return Fail(&IngestStats::put_failures, m_put_failures_,
                    Unavailable(std::to_string(batch.size()) + " records of page " + std::to_string(page) +
                                " still failing after " + std::to_string(attempt) + " attempts"));
      }
      if (attempt > 0) clock_.SleepFor(backoff_.Delay(attempt));
      auto out = stream_.PutRecords(batch);
      if (!out.ok()) {
        if (!out.status().IsRetryable()) {
          return Fail(&IngestStats::put_failures, m_put_failures_, out.status().WithContext("put records"));
        }
        continue;
      }
      std::vector<stream::PutRecordInput> failed;
      for (size_t i = 0; i < batch.size() && i < out->records.size(); ++i) {
        if (out->records[i].ok()) {
          done.beers++;
          m_ingested_->Inc();
        } else {
          failed.push_back(std::move(batch[i]));
        }
      }
      batch = std::move(failed);
    }
    done.pages = page;
    if (progress) progress(done);
    if (static_cast<int>(beers->size()) < per_page) break;
  }
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.ingested += done.beers;
    stats_.invalid += done.invalid;
    stats_.last_run_ms = clock_.NowMillis();
    stats_.last_ok = true;
    stats_.last_result = "ok backfill beers=" + std::to_string(done.beers);
  }
  return done;
}

}  // namespace brewline::pipeline
