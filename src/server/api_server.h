// ApiServer: the HTTP face of the model and of the pipeline (`brewline serve`, also started by `brewline run`).
//   POST /v1/predict            one beer or a batch → band, range, probabilities, model version
//                               (server/predict_request.h); 400 naming the field, 413 body too large,
//                               415 not application/json, 503 while no model exists
//   GET  /v1/status             the pipeline status (pipeline::CollectStatus, passed in) plus "scorer",
//                               "model" (metadata, CV metrics, confusion), "quality" (live) and "latest"
//   GET  /v1/buckets/{bucket}   object listing (?prefix=&start_after=&continuation_token=&max_keys=)
//   GET  /v1/openapi.json       the OpenAPI 3 document of this API
//   GET  /metrics               Prometheus text (the registry, plus live-quality gauges)
//   GET  /healthz               "ok"
//   GET  /  (/index.html, /app.js, /style.css)   the dashboard, embedded in the binary
// Other methods on these paths get 405 with an Allow header; unknown paths 404; errors are JSON
// {"error":{"status","field","message"}}.
// Lifetime: Start binds and serves on background threads until Stop (or destruction). Thread-safe; every
// pointer in ApiServerEnv must outlive the server.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/metrics.h"
#include "common/status.h"
#include "server/live_quality.h"
#include "server/model_holder.h"
#include "server/scorer.h"
#include "store/object_store.h"

namespace brewline::server {

inline constexpr char kDefaultServeListen[] = "127.0.0.1:8080";

struct ApiServerOptions {
  std::string data_dir;
  size_t max_body_bytes = 1024 * 1024;
  size_t max_batch = 1000;
  // Worker threads. cpp-httplib gives each keep-alive connection a thread for as long as it stays open, so this
  // is also how many clients are served at once; further connections queue until one closes.
  size_t threads = 32;
  std::chrono::milliseconds model_refresh{2000};  // how often a request may re-check the registry
  int latest_rows = 20;
  LiveQualityOptions quality;
};

struct ApiServerEnv {
  FileSystem* fs = nullptr;
  Clock* clock = nullptr;
  store::ObjectStore* store = nullptr;
  MetricsRegistry* metrics = nullptr;  // nullptr = MetricsRegistry::Default()
  // Status of the pipeline as a JSON object; empty = only the serving sections.
  std::function<std::string()> pipeline_status;
  // The scorer running in this process, if any; otherwise its state is read from <data-dir>.
  Scorer* scorer = nullptr;
};

class ApiServer {
 public:
  ApiServer(const ApiServerOptions& options, const ApiServerEnv& env);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds host:port (0 = ephemeral) and serves. Unavailable when the address is taken.
  Status Start(const std::string& host, int port);
  void Stop();
  int port() const;

  // What GET /v1/status and GET /metrics return (also for tests).
  std::string StatusJson();
  std::string MetricsText();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace brewline::server
