// PipelineRunner: `brewline run` — the whole pipeline in one process on embedded defaults:
//   built-in Punk API server (unless config.source) → scheduler → IngestJob → LocalStream `beers`
//   → deliveries `raw` and `cleaned` → FsObjectStore buckets → CleanedTable sync; plus the admin server.
//
// Lifecycle: Start() takes <data-dir>/run/LOCK (a second run on the same data dir is refused with
// FailedPrecondition), starts the servers (a taken *default* port falls back to a free one, and the log says
// which) and every worker thread. Run() blocks until `stop` is requested (SIGINT/SIGTERM in the CLI) or
// config.run_for elapses, then shuts down in order so nothing is lost or duplicated:
//   1. the scheduler stops (a tick in progress finishes);
//   2. each delivery stops, flushes its buffer, then drains what is left on the stream into its bucket
//      (its checkpoints commit with the objects: a restart resumes exactly where it stopped);
//   3. the table syncs a last time; run/status.json is written with running=false; servers stop.
// Thread-safety: Start/Run from one thread; status accessors from any.
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/metrics.h"
#include "common/result.h"
#include "pipeline/pipeline_config.h"

namespace brewline::pipeline {

class PipelineRunner {
 public:
  // `fs`, `clock` and `metrics` must outlive the runner.
  static Result<std::unique_ptr<PipelineRunner>> Start(const PipelineConfig& config, FileSystem& fs, Clock& clock,
                                                       MetricsRegistry& metrics = MetricsRegistry::Default());
  ~PipelineRunner();
  PipelineRunner(const PipelineRunner&) = delete;
  PipelineRunner& operator=(const PipelineRunner&) = delete;

  // Blocks until `stop` or run_for, then shuts down as described above. Returns the first shutdown error.
  Status Run(StopSignal& stop);

  // The URLs actually bound (after any fallback to a free port).
  std::string source_url() const;
  std::string admin_url() const;

 private:
  struct Impl;
  explicit PipelineRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace brewline::pipeline
