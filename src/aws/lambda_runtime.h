// The Lambda Runtime API client (2018-06-01) for custom runtimes (provided.al2023): poll the next invocation,
// post its response or error, report init errors, and the loop that ties them together. A 500 from the
// Runtime API means the environment is broken: Run returns an error and the bootstrap must exit.
// Not thread-safe: one runtime loop per process, as Lambda runs one invocation at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "common/clock.h"
#include "common/result.h"

namespace brewline::aws {

inline constexpr uint64_t kLambdaMaxPayloadBytes = 6u << 20;  // 6 MB each way (synchronous invocations)

struct Invocation {
  std::string request_id;        // Lambda-Runtime-Aws-Request-Id
  int64_t deadline_ms = 0;       // Lambda-Runtime-Deadline-Ms (epoch ms)
  std::string function_arn;      // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;          // Lambda-Runtime-Trace-Id
  std::string client_context;    // Lambda-Runtime-Client-Context (optional)
  std::string cognito_identity;  // Lambda-Runtime-Cognito-Identity (optional)
  std::string payload;           // the event JSON

  int64_t RemainingMillis(const Clock& clock) const { return deadline_ms - clock.NowMillis(); }
};

// A handler returns the response body (JSON) or an error; the error's type() (or its code name) becomes
// errorType and its message errorMessage.
using LambdaHandler = std::function<Result<std::string>(const Invocation&)>;

class LambdaRuntimeClient {
 public:
  // `runtime_api` is AWS_LAMBDA_RUNTIME_API ("host:port").
  LambdaRuntimeClient(std::string runtime_api, std::shared_ptr<HttpClient> http);

  // Reads AWS_LAMBDA_RUNTIME_API; InvalidArgument when unset.
  static Result<LambdaRuntimeClient> FromEnvironment(const EnvLookup& env, std::shared_ptr<HttpClient> http = nullptr);

  // Long-polls for the next event (no client timeout). Unavailable with type "Runtime.ApiError" on 500.
  Result<Invocation> Next();
  Status PostResponse(const std::string& request_id, const std::string& body);
  Status PostError(const std::string& request_id, const std::string& error_type, const std::string& message);
  Status PostInitError(const std::string& error_type, const std::string& message);

  // The loop: Next → handler → PostResponse/PostError, until the Runtime API fails (returned), a stop is
  // requested (OK), or `max_invocations` (> 0) have been handled (OK). Exceptions from the handler are caught
  // and reported as errors of type "Runtime.UnhandledException".
  Status Run(const LambdaHandler& handler, const StopSignal* stop = nullptr, int max_invocations = 0);

  const std::string& base_url() const { return base_url_; }

 private:
  Status Post(const std::string& path, const std::string& body, const std::string& error_type);

  std::string base_url_;
  std::shared_ptr<HttpClient> http_;
};

// The JSON error document {"errorMessage","errorType","stackTrace":[]}.
std::string LambdaErrorJson(const std::string& error_type, const std::string& message);

// A bootstrap's main, once for every function: JSON logs (one object per line for CloudWatch), the Runtime API
// client from AWS_LAMBDA_RUNTIME_API, then `init` once with the process environment. An init failure is
// posted to /runtime/init/error as "Runtime.InitError" and exits 1; otherwise the handler `init` returns
// (which owns whatever it needs across warm invocations) serves every invocation. Returns main's exit code:
// 0 after a clean stop, 1 when the Runtime API fails.
using LambdaInit = std::function<Result<LambdaHandler>(const EnvLookup& env)>;
int RunLambdaBootstrap(const LambdaInit& init);

}  // namespace brewline::aws
