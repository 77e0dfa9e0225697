#include "server/scorer.h"

#include <nlohmann/json.hpp>

#include "common/log.h"
#include "delivery/delivery_state.h"

namespace brewline::server {

std::string ScorerStatePath(const std::string& data_dir) {
  return JoinPath(delivery::DeliveryStateDir(data_dir, kPredictionsDelivery), "scorer.json");
}

std::string ScorerStateToJson(const ScorerState& s) {
  nlohmann::ordered_json j;
  j["state"] = s.state;
  j["model_version"] = s.model_version;
  j["message"] = s.message;
  j["updated_ms"] = s.updated_ms;
  return j.dump() + "\n";
}

Result<ScorerState> ReadScorerState(FileSystem& fs, const std::string& data_dir) {
  const std::string path = ScorerStatePath(data_dir);
  if (!fs.Exists(path)) return NotFound("no scorer state at " + path);
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Corruption(path + " is not a JSON object");
  ScorerState s;
  s.state = j.value("state", std::string("waiting"));
  s.model_version = j.value("model_version", 0);
  s.message = j.value("message", std::string());
  s.updated_ms = j.value("updated_ms", int64_t{0});
  return s;
}

Scorer::Scorer(const ScorerOptions& options, store::ObjectStore& store, Clock& clock, FileSystem& fs)
    : options_(options), store_(store), clock_(clock), fs_(fs), models_(store, clock) {
  MetricsRegistry& m = options_.metrics ? *options_.metrics : MetricsRegistry::Default();
  waiting_gauge_ = &m.GetGauge("brewline_scorer_waiting", "1 while the scorer waits for a model to be published.");
  version_gauge_ = &m.GetGauge("brewline_scorer_model_version", "The model version the scorer predicts with.");
}

Scorer::~Scorer() = default;

Result<std::unique_ptr<Scorer>> Scorer::Open(const ScorerOptions& options, stream::Stream& stream,
                                             store::ObjectStore& store, Clock& clock, FileSystem& fs) {
  std::unique_ptr<Scorer> s(new Scorer(options, store, clock, fs));
  s->invoker_ = std::make_unique<ScoringInvoker>(s->models_);
  delivery::DeliveryConfig dc;
  dc.name = kPredictionsDelivery;
  dc.bucket = kPredictionsBucket;
  dc.stream = options.stream;
  dc.transform = true;
  dc.append_newline = false;  // prediction lines end with "\n" themselves
  dc.lambda_arn = "arn:aws:lambda:local:000000000000:function:brewline-score";
  dc.buffer_interval = options.buffer_interval;
  dc.buffer_size_bytes = options.buffer_size_bytes;
  dc.poll_interval = options.poll_interval;
  delivery::DeliveryEnv env;
  env.stream = &stream;
  env.store = &store;
  env.clock = &clock;
  env.fs = &fs;
  env.data_dir = options.data_dir;
  env.invoker = s->invoker_.get();
  env.metrics = options.metrics;
  auto d = delivery::Delivery::Open(dc, env);
  if (!d.ok()) return d.status().WithContext("scorer delivery");
  s->delivery_ = std::move(*d);
  ASSIGN_OR_RETURN(s->table_, PredictionsTable::Open(fs, clock, options.data_dir));
  s->objects_synced_ = ~uint64_t{0};  // force a first sync (objects from a previous run)
  s->CheckModel(/*force=*/true);
  return s;
}

void Scorer::SetState(const std::string& state, int version, const std::string& message) {
  {
    std::lock_guard<std::mutex> lock(state_mu_);
    if (state_.state == state && state_.model_version == version && state_.message == message && state_.updated_ms) {
      return;
    }
    state_.state = state;
    state_.model_version = version;
    state_.message = message;
    state_.updated_ms = clock_.NowMillis();
  }
  waiting_gauge_->Set(state == "waiting" ? 1 : 0);
  version_gauge_->Set(version);
  if (state == "waiting") log::Info("scorer.waiting", {{"reason", message}});
  else log::Info("scorer.scoring", {{"model_version", version}});
  WriteFileAtomically(fs_, ScorerStatePath(options_.data_dir), ScorerStateToJson(this->state()))
      .IgnoreError();  // advisory, for other processes; the in-process state is authoritative
}

void Scorer::CheckModel(bool force) {
  const int64_t now = clock_.MonotonicNanos();
  if (!force && model_checked_ &&
      now - model_checked_nanos_ < options_.model_check_interval.count() * int64_t{1000000}) {
    return;
  }
  model_checked_ = true;
  model_checked_nanos_ = now;
  Status st = models_.Refresh();
  ModelState ms = models_.state();
  if (ms.ready) SetState("scoring", ms.version, st.ok() ? "" : ms.message);
  else SetState("waiting", 0, ms.message);
}

Status Scorer::SyncTable() {
  const uint64_t delivered = delivery_->stats().delivered_objects;
  if (delivered == objects_synced_) return Status::OK();
  ASSIGN_OR_RETURN(PredictionsSync synced, table_->Sync(store_));
  objects_synced_ = delivered;
  if (synced.rows_loaded > 0) {
    log::Debug("scorer.table_synced", {{"objects", static_cast<long long>(synced.objects_loaded)},
                                       {"rows", static_cast<long long>(synced.rows_loaded)}});
  }
  return Status::OK();
}

Result<bool> Scorer::PollOnce(const StopSignal* stop) {
  CheckModel(/*force=*/false);
  if (!models_.current()) {
    RETURN_IF_ERROR(SyncTable());
    return false;
  }
  auto polled = delivery_->PollOnce(stop);
  if (!polled.ok()) return polled.status();
  RETURN_IF_ERROR(SyncTable());
  return true;
}

Status Scorer::Run(StopSignal& stop) {
  while (!stop.stop_requested()) {
    auto polled = PollOnce(&stop);
    if (!polled.ok()) log::Warn("scorer.poll_failed", {{"reason", polled.status().ToString()}});
    if (clock_.SleepFor(options_.poll_interval, &stop)) break;
  }
  if (!models_.current()) return Status::OK();
  RETURN_IF_ERROR(delivery_->FlushAll());
  return SyncTable();
}

Status Scorer::Drain(const StopSignal* stop) {
  CheckModel(/*force=*/true);
  if (!models_.current()) return SyncTable();
  RETURN_IF_ERROR(delivery_->Drain(stop));
  return SyncTable();
}

ScorerState Scorer::state() const {
  std::lock_guard<std::mutex> lock(state_mu_);
  return state_;
}

}  // namespace brewline::server
