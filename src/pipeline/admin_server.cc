#include "pipeline/admin_server.h"

#include <httplib.h>

#include <thread>

namespace brewline::pipeline {

struct AdminServer::Impl {
  MetricsRegistry& metrics;
  std::function<std::string()> status_json;
  httplib::Server server;
  std::thread thread;
  int port = 0;
};

AdminServer::AdminServer(MetricsRegistry& metrics, std::function<std::string()> status_json)
    : impl_(new Impl{metrics, std::move(status_json), {}, {}, 0}) {
  Impl* impl = impl_.get();
  impl->server.Get("/metrics", [impl](const httplib::Request&, httplib::Response& res) {
    res.set_content(impl->metrics.RenderPrometheus(), "text/plain; version=0.0.4; charset=utf-8");
  });
  impl->server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  impl->server.Get("/v1/status", [impl](const httplib::Request&, httplib::Response& res) {
    res.set_content(impl->status_json(), "application/json");
  });
}

AdminServer::~AdminServer() { Stop(); }

Status AdminServer::Start(const std::string& host, int port) {
  if (impl_->thread.joinable()) return FailedPrecondition("admin server already started");
  int bound = port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return Unavailable("cannot listen on " + host + ":" + std::to_string(port) + " (address in use?)");
  impl_->port = bound;
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  return Status::OK();
}

void AdminServer::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

int AdminServer::port() const { return impl_->port; }

}  // namespace brewline::pipeline
