// Scorer: the model in the pipeline — a third consumer of the stream. It is a delivery named `predictions`
// (so it has its own checkpoints, buffering hints, object layout and exactly-once commit: docs/exactly-once.md)
// whose transformation is the model (server/scoring_invoker.h), writing JSON Lines into bucket `predictions`;
// after each flush the table `predictions` loads the new objects (server/predictions_table.h).
//
// Model: the latest registered version, re-checked every model_check_interval; a new version is picked up
// without a restart (lines carry the version that made them). With no model the scorer does not read the
// stream at all: it waits, says so in its state (and `status`), and resumes where it stopped once a model
// exists — so no beer is skipped or scored twice.
// State for other processes: <data-dir>/delivery/predictions/scorer.json, rewritten on every change.
//
// Threads: one thread drives PollOnce/Run/Drain; models(), table() and state() are safe from any thread.
// The stream, store, clock and file system must outlive the scorer.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/metrics.h"
#include "common/result.h"
#include "delivery/delivery.h"
#include "server/model_holder.h"
#include "server/predictions_table.h"
#include "server/scoring_invoker.h"
#include "store/object_store.h"
#include "stream/stream.h"

namespace brewline::server {

struct ScorerOptions {
  std::string data_dir;
  std::string stream = "beers";
  // The delivery's buffering hints and poll wait (as the other deliveries of `brewline run`).
  std::chrono::seconds buffer_interval{300};
  uint64_t buffer_size_bytes = 5 * delivery::kMiB;
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds model_check_interval{5000};
  MetricsRegistry* metrics = nullptr;  // nullptr = MetricsRegistry::Default()
};

struct ScorerState {
  std::string state = "waiting";  // "waiting" (no model) | "scoring"
  int model_version = 0;
  std::string message;
  int64_t updated_ms = 0;
};

std::string ScorerStatePath(const std::string& data_dir);
std::string ScorerStateToJson(const ScorerState& s);
// NotFound when no scorer ever ran on this data dir.
Result<ScorerState> ReadScorerState(FileSystem& fs, const std::string& data_dir);

class Scorer {
 public:
  static Result<std::unique_ptr<Scorer>> Open(const ScorerOptions& options, stream::Stream& stream,
                                              store::ObjectStore& store, Clock& clock, FileSystem& fs);
  ~Scorer();
  Scorer(const Scorer&) = delete;
  Scorer& operator=(const Scorer&) = delete;

  // One step: re-checks the model when due; without one returns false (waiting). Otherwise reads once from the
  // stream (flushing when a hint is reached), loads new objects into the table, and returns true.
  Result<bool> PollOnce(const StopSignal* stop = nullptr);
  // Steps until `stop`, then flushes what is buffered. Errors are logged and retried after poll_interval.
  Status Run(StopSignal& stop);
  // Scores everything on the stream now and flushes (a no-op while waiting for a model).
  Status Drain(const StopSignal* stop = nullptr);

  ModelHolder& models() { return models_; }
  PredictionsTable& table() { return *table_; }
  ScorerState state() const;

 private:
  Scorer(const ScorerOptions& options, store::ObjectStore& store, Clock& clock, FileSystem& fs);
  void CheckModel(bool force);
  void SetState(const std::string& state, int version, const std::string& message);
  Status SyncTable();

  ScorerOptions options_;
  store::ObjectStore& store_;
  Clock& clock_;
  FileSystem& fs_;
  ModelHolder models_;
  std::unique_ptr<ScoringInvoker> invoker_;
  std::unique_ptr<delivery::Delivery> delivery_;
  std::unique_ptr<PredictionsTable> table_;
  uint64_t objects_synced_ = 0;  // delivered objects already loaded into the table
  int64_t model_checked_nanos_ = 0;
  bool model_checked_ = false;
  mutable std::mutex state_mu_;
  ScorerState state_;
  Gauge* waiting_gauge_;
  Gauge* version_gauge_;
};

}  // namespace brewline::server
