#include "server/model_holder.h"

#include "common/log.h"
#include "ml/model_registry.h"

namespace brewline::server {

Status ModelHolder::Refresh() {
  std::lock_guard<std::mutex> refresh(refresh_mu_);
  const int64_t now = clock_.NowMillis();
  ml::ModelRegistry registry(store_);
  auto latest = registry.LatestVersion();
  if (!latest.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    state_.checked_ms = now;
    if (latest.status().code() == StatusCode::kNotFound) {
      if (!model_) state_.message = "waiting for a model: none published yet (run `brewline model train`)";
      return Status::OK();
    }
    state_.message = "cannot read the model registry: " + latest.status().ToString();
    return latest.status();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    state_.checked_ms = now;
    if (model_ && state_.version == *latest) return Status::OK();
  }
  auto loaded = ml::IbuClassifier::Load(store_, *latest);
  std::lock_guard<std::mutex> lock(mu_);
  if (!loaded.ok()) {
    state_.message = "model v" + std::to_string(*latest) + " failed to load: " + loaded.status().ToString();
    log::Warn("scorer.model_load_failed", {{"version", *latest}, {"reason", loaded.status().ToString()}});
    return loaded.status();
  }
  const int previous = state_.version;
  model_ = std::shared_ptr<const ml::IbuClassifier>(std::move(*loaded));
  state_.ready = true;
  state_.version = model_->version();
  state_.loaded_ms = now;
  state_.message.clear();
  log::Info("scorer.model_loaded", {{"version", state_.version}, {"previous", previous}});
  return Status::OK();
}

void ModelHolder::MaybeRefresh(std::chrono::milliseconds every) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (state_.checked_ms != 0 && clock_.NowMillis() - state_.checked_ms < every.count()) return;
  }
  Refresh().IgnoreError();  // reported through state()
}

std::shared_ptr<const ml::IbuClassifier> ModelHolder::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return model_;
}

ModelState ModelHolder::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

}  // namespace brewline::server
