// AdminServer: the small HTTP server `brewline run` exposes on 127.0.0.1 for operators:
//   GET /metrics     Prometheus text exposition of a MetricsRegistry
//   GET /healthz     200 "ok" while running
//   GET /v1/status   the status report JSON (pipeline/status_report.h)
// Lifetime: Start binds and serves on a background thread until Stop (or destruction). Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "common/metrics.h"
#include "common/status.h"

namespace brewline::pipeline {

class AdminServer {
 public:
  // `status_json` is called per /v1/status request (from a server thread); `metrics` must outlive the server.
  AdminServer(MetricsRegistry& metrics, std::function<std::string()> status_json);
  ~AdminServer();
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Binds host:port (0 = ephemeral). Unavailable when the address is taken.
  Status Start(const std::string& host, int port);
  void Stop();
  int port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace brewline::pipeline
