#include "delivery/delivery.h"

#include "common/log.h"

namespace brewline::delivery {

namespace {
constexpr int64_t kListShardsEveryMs = 60000;
}  // namespace

Result<std::unique_ptr<Delivery>> Delivery::Open(const DeliveryConfig& config, const DeliveryEnv& env) {
  RETURN_IF_ERROR(ValidateDeliveryConfig(config));
  if (env.stream == nullptr || env.store == nullptr || env.clock == nullptr || env.fs == nullptr || env.data_dir.empty()) {
    return InvalidArgument("delivery '" + config.name + "': stream, store, clock, file system and data dir are required");
  }
  ASSIGN_OR_RETURN(KeyPrefix prefix, KeyPrefix::Parse(config.prefix, false));
  ASSIGN_OR_RETURN(KeyPrefix error_prefix,
                   KeyPrefix::Parse(config.error_output_prefix.empty() ? "!{firehose:error-output-type}/"
                                                                       : config.error_output_prefix,
                                    true));
  const std::string state_dir = DeliveryStateDir(env.data_dir, config.name);
  RETURN_IF_ERROR(env.fs->CreateDirs(state_dir));
  const std::string lock_path = JoinPath(state_dir, "LOCK");
  auto lock = env.fs->Lock(lock_path, /*wait=*/false);
  if (!lock.ok()) {
    if (lock.status().code() == StatusCode::kUnavailable) {
      return FailedPrecondition("delivery '" + config.name + "' is already running (lock " + lock_path +
                                " is held by another instance)");
    }
    return lock.status();
  }
  ASSIGN_OR_RETURN(DeliveryState state, LoadDeliveryState(*env.fs, state_dir));
  return std::unique_ptr<Delivery>(
      new Delivery(config, env, std::move(*lock), std::move(prefix), std::move(error_prefix), std::move(state)));
}

Delivery::Delivery(const DeliveryConfig& config, const DeliveryEnv& env, std::unique_ptr<FileLock> lock,
                   KeyPrefix prefix, KeyPrefix error_prefix, DeliveryState state)
    : config_(config),
      env_(env),
      lock_(std::move(lock)),
      state_dir_(DeliveryStateDir(env.data_dir, config.name)),
      prefix_(std::move(prefix)),
      error_prefix_(std::move(error_prefix)),
      state_(std::move(state)),
      backoff_(config.store_retry),
      rng_(std::random_device{}()) {
  TransformInvoker* invoker = env_.invoker;
  if (config_.transform && invoker == nullptr) {
    owned_invoker_ = std::make_unique<InProcessTransformInvoker>();
    invoker = owned_invoker_.get();
  }
  converter_ = std::make_unique<RecordConverter>(config_, invoker, *env_.clock);
  MetricsRegistry& m = env_.metrics != nullptr ? *env_.metrics : MetricsRegistry::Default();
  Labels labels = {{"delivery", config_.name}};
  delivered_records_total_ = &m.GetCounter("brewline_delivery_records_delivered_total",
                                           "Records delivered into objects (or dropped by the transform)", labels);
  failed_records_total_ = &m.GetCounter("brewline_delivery_records_failed_total",
                                        "Records written to the error output", labels);
  objects_total_ = &m.GetCounter("brewline_delivery_objects_total", "Objects written", labels);
  bytes_total_ = &m.GetCounter("brewline_delivery_bytes_total", "Object bytes written (as stored)", labels);
  store_failures_total_ = &m.GetCounter("brewline_delivery_store_failures_total", "Failed store writes (retried)", labels);
  invocation_failures_total_ = &m.GetCounter("brewline_delivery_transform_failures_total",
                                             "Failed transformation invocations (retried)", labels);
  buffered_bytes_gauge_ = &m.GetGauge("brewline_delivery_buffered_bytes", "Bytes buffered, not yet delivered", labels);
  buffered_records_gauge_ = &m.GetGauge("brewline_delivery_buffered_records", "Records buffered, not yet delivered", labels);
  stats_.name = config_.name;
  stats_.delivered_records = state_.delivered_records;
  stats_.delivered_objects = state_.delivered_objects;
  stats_.delivered_bytes = state_.delivered_bytes;
  stats_.failed_records = state_.failed_records;
}

Delivery::~Delivery() { PublishStats(/*force=*/true); }

Status Delivery::RefreshShards() {
  int64_t now = env_.clock->NowMillis();
  if (shards_listed_ms_ >= 0 && now - shards_listed_ms_ < kListShardsEveryMs) return Status::OK();
  ASSIGN_OR_RETURN(auto shards, env_.stream->ListShards());
  for (const stream::ShardInfo& shard : shards) {
    if (cursors_.count(shard.shard_id)) continue;
    ShardCursor cursor;
    auto it = state_.checkpoints.find(shard.shard_id);
    if (it != state_.checkpoints.end()) cursor.last_sequence = it->second;
    cursors_.emplace(shard.shard_id, std::move(cursor));
  }
  shards_listed_ms_ = now;
  return Status::OK();
}

Result<std::string> Delivery::IteratorFor(const std::string& shard_id, const std::string& after_sequence) {
  stream::IteratorRequest req;
  req.shard_id = shard_id;
  // A new delivery starts at the oldest record (Firehose starts at LATEST; we deliver the whole stream).
  if (after_sequence.empty()) {
    req.type = stream::IteratorType::kTrimHorizon;
  } else {
    req.type = stream::IteratorType::kAfterSequenceNumber;
    req.sequence_number = after_sequence;
  }
  return env_.stream->GetShardIterator(req);
}

void Delivery::Append(const std::string& shard_id, const stream::Record& record, ConvertedRecord converted) {
  if (buffered_records_ == 0) {
    oldest_arrival_ms_ = record.approximate_arrival_ms;
    buffer_started_nanos_ = env_.clock->MonotonicNanos();
  }
  oldest_arrival_ms_ = std::min(oldest_arrival_ms_, record.approximate_arrival_ms);
  ShardBuffer& b = buffer_[shard_id];
  if (b.range.records == 0) b.range.first_sequence = record.sequence_number;
  b.range.last_sequence = record.sequence_number;
  ++b.range.records;
  uint64_t bytes = converted.bytes.size();
  if (converted.kind == ConvertedRecord::Kind::kFailed) {
    b.errors += converted.bytes;
    ++b.failed;
  } else {
    b.data += converted.bytes;
  }
  buffered_bytes_ += bytes;
  ++buffered_records_;
}

bool Delivery::ShouldFlush() const {
  if (buffered_records_ == 0) return false;
  if (buffered_bytes_ >= config_.buffer_size_bytes) return true;
  int64_t waited_ns = env_.clock->MonotonicNanos() - buffer_started_nanos_;
  return waited_ns >= static_cast<int64_t>(config_.buffer_interval.count()) * 1000000000;
}

Result<PollResult> Delivery::PollOnce(const StopSignal* stop) {
  if (state_.pending) {
    if (pending_in_memory_) {
      RETURN_IF_ERROR(WriteAndCommit(*state_.pending, /*redo=*/false, stop));
      ClearBuffer();
    } else {
      RETURN_IF_ERROR(RedoPending(stop));
    }
  }
  RETURN_IF_ERROR(RefreshShards());
  PollResult result;
  bool all_empty = true;
  for (auto& [shard_id, cursor] : cursors_) {
    if (cursor.closed) continue;
    if (stop != nullptr && stop->stop_requested()) return Cancelled("delivery stopped");
    if (cursor.iterator.empty()) {
      ASSIGN_OR_RETURN(cursor.iterator, IteratorFor(shard_id, cursor.last_sequence));
    }
    auto out = env_.stream->GetRecords(cursor.iterator, config_.max_records_per_poll);
    if (!out.ok() && out.status().type() == "ExpiredIteratorException") {
      ASSIGN_OR_RETURN(cursor.iterator, IteratorFor(shard_id, cursor.last_sequence));
      out = env_.stream->GetRecords(cursor.iterator, config_.max_records_per_poll);
    }
    if (!out.ok() && out.status().type() == "ProvisionedThroughputExceededException") {
      result.throttled = true;  // the iterator stays valid; not caught up, since this shard was not read
      all_empty = false;
      continue;
    }
    if (!out.ok()) {
      cursor.iterator.clear();
      return out.status();
    }
    cursor.iterator = out->next_shard_iterator;
    if (cursor.iterator.empty()) cursor.closed = true;
    const auto& records = out->records;
    if (records.empty()) continue;
    all_empty = false;
    result.records_read += records.size();
    std::vector<ConvertedRecord> converted = converter_->Convert(shard_id, records, 0, records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      Append(shard_id, records[i], std::move(converted[i]));
      cursor.last_sequence = records[i].sequence_number;
      if (buffered_bytes_ >= config_.buffer_size_bytes) {
        Status s = FlushBuffer(stop);
        if (!s.ok()) {
          // The rest of this read is not buffered: read again after the last buffered record.
          cursor.iterator.clear();
          cursor.closed = false;
          return s;
        }
      }
    }
  }
  if (ShouldFlush()) RETURN_IF_ERROR(FlushBuffer(stop));
  uint64_t failures = converter_->invocation_failures();
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    if (failures > stats_.invocation_failures) invocation_failures_total_->Inc(failures - stats_.invocation_failures);
    stats_.invocation_failures = failures;
  }
  PublishStats(/*force=*/false);
  result.caught_up = all_empty;
  return result;
}

Status Delivery::Run(StopSignal& stop) {
  int consecutive_errors = 0;
  while (!stop.stop_requested()) {
    auto polled = PollOnce(&stop);
    if (!polled.ok()) {
      if (polled.status().code() == StatusCode::kCancelled) break;
      ++consecutive_errors;
      log::Warn("delivery_poll_failed", {{"delivery", config_.name}, {"error", polled.status().ToString()}});
      auto wait = std::max(config_.poll_interval, backoff_.Delay(consecutive_errors));
      env_.clock->SleepFor(wait, &stop);
      continue;
    }
    consecutive_errors = 0;
    if (polled->records_read == 0) env_.clock->SleepFor(config_.poll_interval, &stop);
  }
  Status s = FlushAll(nullptr);
  PublishStats(/*force=*/true);
  return s;
}

Status Delivery::Drain(const StopSignal* stop) {
  for (;;) {
    ASSIGN_OR_RETURN(PollResult polled, PollOnce(stop));
    if (polled.caught_up) break;
    if (stop != nullptr && stop->stop_requested()) return Cancelled("delivery stopped");
    // A throttled shard gets its allowance back within a second (Kinesis: 5 reads/s per shard).
    if (polled.throttled && polled.records_read == 0 &&
        env_.clock->SleepFor(std::chrono::milliseconds(200), stop)) {
      return Cancelled("delivery stopped");
    }
  }
  return FlushAll(stop);
}

Status Delivery::FlushAll(const StopSignal* stop) {
  if (state_.pending) {
    if (pending_in_memory_) {
      RETURN_IF_ERROR(WriteAndCommit(*state_.pending, /*redo=*/false, stop));
      ClearBuffer();
    } else {
      RETURN_IF_ERROR(RedoPending(stop));
    }
  }
  RETURN_IF_ERROR(FlushBuffer(stop));
  PublishStats(/*force=*/true);
  return Status::OK();
}

DeliveryStats Delivery::stats() const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  return stats_;
}

void Delivery::PublishStats(bool force) {
  DeliveryStats snapshot;
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.buffered_bytes = buffered_bytes_;
    stats_.buffered_records = buffered_records_;
    stats_.updated_ms = env_.clock->NowMillis();
    snapshot = stats_;
  }
  buffered_bytes_gauge_->Set(static_cast<double>(buffered_bytes_));
  buffered_records_gauge_->Set(static_cast<double>(buffered_records_));
  // Written at most once a second (plus on flush and exit), so `brewline status` elsewhere stays current.
  if (!force && snapshot.updated_ms - stats_written_ms_ < 1000) return;
  stats_written_ms_ = snapshot.updated_ms;
  Status s = SaveDeliveryStats(*env_.fs, state_dir_, snapshot);
  if (!s.ok()) log::Debug("delivery_stats_write_failed", {{"delivery", config_.name}, {"error", s.message()}});
}

}  // namespace brewline::delivery
