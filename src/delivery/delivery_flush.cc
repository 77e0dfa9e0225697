// Delivery: writing a batch exactly once (docs/exactly-once.md). The order is what makes it safe:
//   1. persist `pending` (object keys + per-shard sequence ranges) atomically;
//   2. write the objects (a fixed key, so rewriting is idempotent);
//   3. persist the advanced checkpoints with `pending` cleared, atomically, in one write.
// A crash before 1 loses only memory (records are re-read); between 1 and 3 the batch is rebuilt from the
// stream with the same records and written under the same keys; after 3 it is done.
#include "common/gzip.h"
#include "common/log.h"
#include "common/uuid.h"
#include "delivery/delivery.h"

namespace brewline::delivery {

namespace {

constexpr const char* kErrorOutputType = "processing-failed";

bool WorthRetrying(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kPermissionDenied:
    case StatusCode::kCancelled:
      return false;
    default:
      return true;
  }
}

}  // namespace

void Delivery::ClearBuffer() {
  buffer_.clear();
  buffered_bytes_ = 0;
  buffered_records_ = 0;
  oldest_arrival_ms_ = 0;
  pending_in_memory_ = false;
}

Status Delivery::FlushBuffer(const StopSignal* stop) {
  if (buffered_records_ == 0) return Status::OK();
  const bool gzip = config_.compression == Compression::kGzip;
  PendingBatch batch;
  batch.batch_id = state_.next_batch_id;
  batch.oldest_arrival_ms = oldest_arrival_ms_;
  batch.data_key = prefix_.Evaluate(oldest_arrival_ms_, "", rng_) +
                   ObjectName(config_.name, config_.version, oldest_arrival_ms_, NewUuid(), gzip);
  batch.error_key = error_prefix_.Evaluate(oldest_arrival_ms_, kErrorOutputType, rng_) +
                    ObjectName(config_.name, config_.version, oldest_arrival_ms_, NewUuid(), gzip);
  for (const auto& [shard_id, b] : buffer_) batch.ranges[shard_id] = b.range;

  DeliveryState next = state_;
  next.pending = batch;
  next.next_batch_id = batch.batch_id + 1;
  RETURN_IF_ERROR(SaveDeliveryState(*env_.fs, state_dir_, next).WithContext("delivery '" + config_.name + "'"));
  state_ = std::move(next);
  pending_in_memory_ = true;
  RETURN_IF_ERROR(WriteAndCommit(*state_.pending, /*redo=*/false, stop));
  ClearBuffer();
  return Status::OK();
}

Status Delivery::WriteAndCommit(PendingBatch batch, bool redo, const StopSignal* stop) {
  std::string data, errors;
  uint64_t failed = 0, records = 0;
  for (const auto& [shard_id, b] : buffer_) {
    data += b.data;
    errors += b.errors;
    failed += b.failed;
    records += b.range.records;
  }
  if (config_.compression == Compression::kGzip) {
    if (!data.empty()) {
      ASSIGN_OR_RETURN(data, GzipCompress(data));
    }
    if (!errors.empty()) {
      ASSIGN_OR_RETURN(errors, GzipCompress(errors));
    }
  }
  // On a redo, an object that now has no records is deleted, in case an earlier attempt wrote it.
  if (!data.empty()) {
    RETURN_IF_ERROR(PutWithRetry(batch.data_key, data, stop));
  } else if (redo) {
    RETURN_IF_ERROR(DeleteWithRetry(batch.data_key, stop));
  }
  if (!errors.empty()) {
    RETURN_IF_ERROR(PutWithRetry(batch.error_key, errors, stop));
  } else if (redo) {
    RETURN_IF_ERROR(DeleteWithRetry(batch.error_key, stop));
  }
  const uint64_t objects = (data.empty() ? 0 : 1) + (errors.empty() ? 0 : 1);
  const uint64_t bytes = data.size() + errors.size();

  DeliveryState next = state_;
  for (const auto& [shard_id, range] : batch.ranges) next.checkpoints[shard_id] = range.last_sequence;
  next.pending.reset();
  next.delivered_records += records - failed;
  next.failed_records += failed;
  next.delivered_objects += objects;
  next.delivered_bytes += bytes;
  RETURN_IF_ERROR(SaveDeliveryState(*env_.fs, state_dir_, next).WithContext("delivery '" + config_.name + "'"));
  state_ = std::move(next);

  delivered_records_total_->Inc(records - failed);
  failed_records_total_->Inc(failed);
  objects_total_->Inc(objects);
  bytes_total_->Inc(bytes);
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.delivered_records = state_.delivered_records;
    stats_.failed_records = state_.failed_records;
    stats_.delivered_objects = state_.delivered_objects;
    stats_.delivered_bytes = state_.delivered_bytes;
    stats_.last_flush_ms = env_.clock->NowMillis();
  }
  log::Info("delivery_flushed", {{"delivery", config_.name},
                                 {"key", batch.data_key},
                                 {"records", static_cast<unsigned long long>(records)},
                                 {"failed", static_cast<unsigned long long>(failed)},
                                 {"bytes", static_cast<unsigned long long>(bytes)},
                                 {"redo", redo}});
  return Status::OK();
}

Status Delivery::PutWithRetry(const std::string& key, const std::string& data, const StopSignal* stop) {
  // The one place that retries store writes: capped exponential backoff with full jitter.
  for (int attempt = 1;; ++attempt) {
    Status s = env_.store->Put(config_.bucket, key, data);
    if (s.ok()) return s;
    store_failures_total_->Inc();
    {
      std::lock_guard<std::mutex> lock(stats_mu_);
      ++stats_.store_failures;
    }
    log::Warn("delivery_store_put_failed",
              {{"delivery", config_.name}, {"key", key}, {"attempt", attempt}, {"error", s.ToString()}});
    if (!WorthRetrying(s) || attempt >= config_.store_retry.max_attempts) return s;
    if (env_.clock->SleepFor(backoff_.Delay(attempt), stop)) return Cancelled("delivery stopped during a retry");
  }
}

Status Delivery::DeleteWithRetry(const std::string& key, const StopSignal* stop) {
  for (int attempt = 1;; ++attempt) {
    Status s = env_.store->Delete(config_.bucket, key);
    if (s.ok()) return s;
    store_failures_total_->Inc();
    if (!WorthRetrying(s) || attempt >= config_.store_retry.max_attempts) return s;
    if (env_.clock->SleepFor(backoff_.Delay(attempt), stop)) return Cancelled("delivery stopped during a retry");
  }
}

Status Delivery::RedoPending(const StopSignal* stop) {
  const PendingBatch batch = *state_.pending;
  ClearBuffer();
  for (const auto& [shard_id, range] : batch.ranges) {
    stream::IteratorRequest req;
    req.shard_id = shard_id;
    req.type = stream::IteratorType::kAtSequenceNumber;
    req.sequence_number = range.first_sequence;
    ASSIGN_OR_RETURN(std::string iterator, env_.stream->GetShardIterator(req));
    uint64_t seen = 0;
    bool done = false;
    int empty_reads = 0;
    while (!done) {
      ASSIGN_OR_RETURN(stream::GetRecordsOutput out, env_.stream->GetRecords(iterator, config_.max_records_per_poll));
      size_t take = 0;
      while (take < out.records.size() && !SequenceLess(range.last_sequence, out.records[take].sequence_number)) ++take;
      if (take < out.records.size() || (take > 0 && out.records[take - 1].sequence_number == range.last_sequence)) {
        done = true;
      }
      if (take > 0) {
        std::vector<ConvertedRecord> converted = converter_->Convert(shard_id, out.records, 0, take);
        for (size_t i = 0; i < take; ++i) Append(shard_id, out.records[i], std::move(converted[i]));
        seen += take;
        empty_reads = 0;
      } else if (!done && ++empty_reads > 3) {
        break;
      }
      if (out.next_shard_iterator.empty()) break;
      iterator = out.next_shard_iterator;
    }
    if (seen != range.records) {
      ClearBuffer();
      return Corruption("delivery '" + config_.name + "': cannot redo batch " + std::to_string(batch.batch_id) +
                        ": shard " + shard_id + " returned " + std::to_string(seen) + " of its " +
                        std::to_string(range.records) + " records (trimmed by retention?)");
    }
  }
  pending_in_memory_ = true;
  log::Info("delivery_redo_pending", {{"delivery", config_.name}, {"key", batch.data_key}});
  RETURN_IF_ERROR(WriteAndCommit(batch, /*redo=*/true, stop));
  ClearBuffer();
  // Cursors continue after the committed batch.
  for (const auto& [shard_id, range] : batch.ranges) {
    auto it = cursors_.find(shard_id);
    if (it != cursors_.end()) {
      it->second.last_sequence = range.last_sequence;
      it->second.iterator.clear();
    }
  }
  if (stop != nullptr && stop->stop_requested()) return Cancelled("delivery stopped");
  return Status::OK();
}

}  // namespace brewline::delivery
