// A local server speaking the Lambda Runtime API (2018-06-01) as documented, for tests and benchmarks:
//   GET  /2018-06-01/runtime/invocation/next          blocks until an event is queued
//   POST /2018-06-01/runtime/invocation/{id}/response  202
//   POST /2018-06-01/runtime/invocation/{id}/error     202
//   POST /2018-06-01/runtime/init/error                202
// plus the Runtime Interface Emulator's invoke endpoint POST /2015-03-31/functions/function/invocations.
// Thread-safe; listens on 127.0.0.1 at an OS-chosen port.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace brewline::lambda_testing {

struct Outcome {
  bool is_error = false;
  std::string body;
  std::string error_type;       // Lambda-Runtime-Function-Error-Type header
  std::string content_type;
  std::chrono::steady_clock::time_point at;
};

class RuntimeApiServer {
 public:
  RuntimeApiServer();
  ~RuntimeApiServer();
  RuntimeApiServer(const RuntimeApiServer&) = delete;
  RuntimeApiServer& operator=(const RuntimeApiServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:PORT", the value for AWS_LAMBDA_RUNTIME_API.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Queues an event; returns its request id. deadline_ms = 0 means now + 30 s.
  std::string Enqueue(const std::string& event, int64_t deadline_ms = 0);
  // Waits for the function's answer to `request_id`.
  std::optional<Outcome> WaitOutcome(const std::string& request_id,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::optional<Outcome> init_error();
  // The next `next` call answers 500 (the runtime must exit).
  void FailNextPoll();
  // Time of the first `next` poll since construction or ResetFirstPoll (process is initialised).
  std::optional<std::chrono::steady_clock::time_point> first_poll();
  void ResetFirstPoll();
  int polls();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace brewline::lambda_testing
