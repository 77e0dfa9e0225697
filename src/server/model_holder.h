// ModelHolder: the model currently served, hot-swapped when the registry's `latest` moves.
//
// Refresh() reads the registry pointer (one small object) and loads the new version only when it changed, so it
// is cheap enough to call every few seconds. Readers take a shared_ptr snapshot (current()), so a swap never
// pulls a model out from under a prediction in flight. With no model published yet the holder is "waiting"
// (not an error); a version that fails to load keeps the previous model and reports the error.
// Thread-safe. The store must outlive the holder.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "ml/ibu_classifier.h"
#include "store/object_store.h"

namespace brewline::server {

struct ModelState {
  bool ready = false;       // a model is loaded
  int version = 0;          // loaded version (0 = none)
  std::string message;      // "waiting for a model: …" / "" / the last load error
  int64_t loaded_ms = 0;
  int64_t checked_ms = 0;
};

class ModelHolder {
 public:
  ModelHolder(store::ObjectStore& store, Clock& clock) : store_(store), clock_(clock) {}

  // Checks `latest` and loads it when it differs from the loaded version. OK when waiting (no model yet);
  // an error only for a failed load of a published version (the previous model stays in service).
  Status Refresh();
  // Refresh() when the last check is older than `every` (for request paths).
  void MaybeRefresh(std::chrono::milliseconds every);

  std::shared_ptr<const ml::IbuClassifier> current() const;
  ModelState state() const;

 private:
  store::ObjectStore& store_;
  Clock& clock_;
  std::mutex refresh_mu_;  // one loader at a time
  mutable std::mutex mu_;  // guards model_ and state_
  std::shared_ptr<const ml::IbuClassifier> model_;
  ModelState state_;
};

}  // namespace brewline::server
