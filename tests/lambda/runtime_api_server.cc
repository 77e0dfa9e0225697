#include "lambda/runtime_api_server.h"

// Without TCP_NODELAY, httplib's separate header/body writes meet delayed ACKs (~40 ms per exchange), which
// would swamp the latencies the benchmark measures.
#define CPPHTTPLIB_TCP_NODELAY true
#include <httplib.h>

#include <atomic>

#include "common/uuid.h"

namespace brewline::lambda_testing {

struct RuntimeApiServer::Impl {
  httplib::Server server;
  std::mutex mu;
  std::condition_variable cv;
  struct Event {
    std::string id;
    std::string body;
    int64_t deadline_ms;
  };
  std::deque<Event> queue;
  std::map<std::string, Outcome> outcomes;
  std::optional<Outcome> init_error;
  bool fail_next = false;
  bool stopping = false;
  int polls = 0;
  std::optional<std::chrono::steady_clock::time_point> first_poll;

  void Record(const std::string& id, const httplib::Request& req, bool is_error) {
    Outcome o{is_error, req.body, req.get_header_value("Lambda-Runtime-Function-Error-Type"),
              req.get_header_value("Content-Type"), std::chrono::steady_clock::now()};
    std::lock_guard<std::mutex> lock(mu);
    outcomes[id] = std::move(o);
    cv.notify_all();
  }
};

RuntimeApiServer::RuntimeApiServer() : impl_(std::make_unique<Impl>()) {
  Impl* impl = impl_.get();
  auto& s = impl->server;
  s.Get("/2018-06-01/runtime/invocation/next", [impl](const httplib::Request&, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(impl->mu);
    impl->polls++;
    if (!impl->first_poll) impl->first_poll = std::chrono::steady_clock::now();
    if (impl->fail_next) {
      impl->fail_next = false;
      res.status = 500;
      res.set_content(R"({"errorMessage":"runtime API failure","errorType":"Runtime.ApiError"})", "application/json");
      return;
    }
    impl->cv.wait(lock, [impl] { return impl->stopping || !impl->queue.empty(); });
    if (impl->stopping) {
      res.status = 500;
      return;
    }
    auto ev = std::move(impl->queue.front());
    impl->queue.pop_front();
    res.status = 200;
    res.set_header("Lambda-Runtime-Aws-Request-Id", ev.id);
    res.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(ev.deadline_ms));
    res.set_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:test");
    res.set_header("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1");
    res.set_content(ev.body, "application/json");
  });
  s.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/response)", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Record(req.matches[1], req, false);
    res.status = 202;
    res.set_content(R"({"status":"OK"})", "application/json");
  });
  s.Post(R"(/2018-06-01/runtime/invocation/([^/]+)/error)", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Record(req.matches[1], req, true);
    res.status = 202;
    res.set_content(R"({"status":"OK"})", "application/json");
  });
  s.Post("/2018-06-01/runtime/init/error", [impl](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(impl->mu);
    impl->init_error = Outcome{true, req.body, req.get_header_value("Lambda-Runtime-Function-Error-Type"),
                               req.get_header_value("Content-Type"), std::chrono::steady_clock::now()};
    impl->cv.notify_all();
    res.status = 202;
  });
  s.Post("/2015-03-31/functions/function/invocations", [this](const httplib::Request& req, httplib::Response& res) {
    std::string id = Enqueue(req.body.empty() ? "{}" : req.body);
    auto o = WaitOutcome(id, std::chrono::seconds(60));
    if (!o) {
      res.status = 504;
      return;
    }
    res.status = 200;
    if (o->is_error) res.set_header("X-Amz-Function-Error", "Unhandled");
    res.set_content(o->body, "application/json");
  });
  port_ = s.bind_to_any_port("127.0.0.1");
  thread_ = std::thread([impl] { impl->server.listen_after_bind(); });
  // Stop() is a no-op before the accept loop runs, so wait for it (bounded) to make destruction race-free.
  for (int i = 0; i < 2000 && !s.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

RuntimeApiServer::~RuntimeApiServer() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
    impl_->cv.notify_all();
  }
  impl_->server.stop();
  if (thread_.joinable()) thread_.join();
}

std::string RuntimeApiServer::Enqueue(const std::string& event, int64_t deadline_ms) {
  std::string id = NewUuid();
  if (deadline_ms == 0) {
    deadline_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count() +
                  30000;
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->queue.push_back({id, event, deadline_ms});
  impl_->cv.notify_all();
  return id;
}

std::optional<Outcome> RuntimeApiServer::WaitOutcome(const std::string& request_id, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (!impl_->cv.wait_for(lock, timeout, [&] { return impl_->outcomes.count(request_id) > 0; })) return std::nullopt;
  return impl_->outcomes[request_id];
}

std::optional<Outcome> RuntimeApiServer::init_error() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->init_error;
}

void RuntimeApiServer::FailNextPoll() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->fail_next = true;
}

std::optional<std::chrono::steady_clock::time_point> RuntimeApiServer::first_poll() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->first_poll;
}

void RuntimeApiServer::ResetFirstPoll() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->first_poll.reset();
}

int RuntimeApiServer::polls() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->polls;
}

}  // namespace brewline::lambda_testing
