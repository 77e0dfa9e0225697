#include "aws/lambda_runtime.h"

#include <charconv>
#include <cstdio>
#include <exception>

#include "common/json_escape.h"
#include "common/log.h"

namespace brewline::aws {
namespace {

Status ApiStatus(const HttpResponse& resp, const std::string& what) {
  std::string text = "Runtime API " + what + ": HTTP " + std::to_string(resp.status);
  if (resp.status >= 500) return Unavailable(text + " (the runtime must exit)", "Runtime.ApiError");
  if (resp.status == 413) return InvalidArgument(text + " (payload too large)", "Function.ResponseSizeTooLarge");
  return FailedPrecondition(text + ": " + resp.body.substr(0, 200), "Runtime.ApiClientError");
}

}  // namespace

std::string LambdaErrorJson(const std::string& error_type, const std::string& message) {
  std::string out = "{\"errorMessage\":";
  AppendJsonString(&out, message);
  out += ",\"errorType\":";
  AppendJsonString(&out, error_type);
  out += ",\"stackTrace\":[]}";
  return out;
}

LambdaRuntimeClient::LambdaRuntimeClient(std::string runtime_api, std::shared_ptr<HttpClient> http)
    : base_url_("http://" + runtime_api + "/2018-06-01"), http_(std::move(http)) {
  if (!http_) http_ = std::make_shared<CurlHttpClient>();
}

Result<LambdaRuntimeClient> LambdaRuntimeClient::FromEnvironment(const EnvLookup& env,
                                                                 std::shared_ptr<HttpClient> http) {
  auto api = env("AWS_LAMBDA_RUNTIME_API");
  if (!api || api->empty()) return InvalidArgument("AWS_LAMBDA_RUNTIME_API is not set (not running in Lambda?)");
  return LambdaRuntimeClient(*api, std::move(http));
}

Result<Invocation> LambdaRuntimeClient::Next() {
  HttpRequest req;
  req.method = "GET";
  req.url = base_url_ + "/runtime/invocation/next";
  req.timeout_ms = 0;  // long poll: Lambda freezes the process between invocations
  req.max_response_bytes = kLambdaMaxPayloadBytes + (64u << 10);
  ASSIGN_OR_RETURN(HttpResponse resp, http_->Send(req));
  if (resp.status != 200) return ApiStatus(resp, "next");
  Invocation inv;
  inv.request_id = resp.Header("Lambda-Runtime-Aws-Request-Id");
  if (inv.request_id.empty()) return Corruption("Runtime API next: no Lambda-Runtime-Aws-Request-Id header");
  std::string deadline = resp.Header("Lambda-Runtime-Deadline-Ms");
  std::from_chars(deadline.data(), deadline.data() + deadline.size(), inv.deadline_ms);
  inv.function_arn = resp.Header("Lambda-Runtime-Invoked-Function-Arn");
  inv.trace_id = resp.Header("Lambda-Runtime-Trace-Id");
  inv.client_context = resp.Header("Lambda-Runtime-Client-Context");
  inv.cognito_identity = resp.Header("Lambda-Runtime-Cognito-Identity");
  inv.payload = std::move(resp.body);
  return inv;
}

Status LambdaRuntimeClient::Post(const std::string& path, const std::string& body, const std::string& error_type) {
  HttpRequest req;
  req.method = "POST";
  req.url = base_url_ + path;
  req.body = body;
  req.headers.emplace_back("Content-Type", "application/json");
  if (!error_type.empty()) req.headers.emplace_back("Lambda-Runtime-Function-Error-Type", error_type);
  ASSIGN_OR_RETURN(HttpResponse resp, http_->Send(req));
  if (resp.status == 202 || resp.status == 200) return Status::OK();
  return ApiStatus(resp, path);
}

Status LambdaRuntimeClient::PostResponse(const std::string& request_id, const std::string& body) {
  return Post("/runtime/invocation/" + request_id + "/response", body, "");
}

Status LambdaRuntimeClient::PostError(const std::string& request_id, const std::string& error_type,
                                      const std::string& message) {
  return Post("/runtime/invocation/" + request_id + "/error", LambdaErrorJson(error_type, message), error_type);
}

Status LambdaRuntimeClient::PostInitError(const std::string& error_type, const std::string& message) {
  return Post("/runtime/init/error", LambdaErrorJson(error_type, message), error_type);
}

Status LambdaRuntimeClient::Run(const LambdaHandler& handler, const StopSignal* stop, int max_invocations) {
  for (int handled = 0; max_invocations <= 0 || handled < max_invocations; ++handled) {
    if (stop && stop->stop_requested()) return Status::OK();
    ASSIGN_OR_RETURN(Invocation inv, Next());
    Result<std::string> result = Internal("handler did not run");
    try {
      result = handler(inv);
    } catch (const std::exception& e) {
      result = Internal(e.what(), "Runtime.UnhandledException");
    } catch (...) {
      result = Internal("unknown exception", "Runtime.UnhandledException");
    }
    Status posted;
    if (result.ok() && result->size() > kLambdaMaxPayloadBytes) {
      posted = PostError(inv.request_id, "Function.ResponseSizeTooLarge",
                         "response of " + std::to_string(result->size()) + " bytes exceeds 6 MB");
    } else if (result.ok()) {
      posted = PostResponse(inv.request_id, *result);
    } else {
      Status st = result.status();
      std::string type = st.type().empty() ? std::string(StatusCodeName(st.code())) : st.type();
      log::Warn("lambda_invocation_failed", {{"request_id", inv.request_id}, {"error_type", type}});
      posted = PostError(inv.request_id, type, st.message());
    }
    // A 4xx on posting (e.g. the invocation timed out meanwhile) is logged; the loop goes on. 5xx ends it.
    if (!posted.ok()) {
      if (posted.code() == StatusCode::kUnavailable) return posted;
      log::Warn("lambda_post_failed", {{"request_id", inv.request_id}, {"error", posted.ToString()}});
    }
  }
  return Status::OK();
}

int RunLambdaBootstrap(const LambdaInit& init) {
  log::Configure(log::Level::kInfo, log::Format::kJson);
  EnvLookup env = ProcessEnv();
  auto runtime = LambdaRuntimeClient::FromEnvironment(env);
  if (!runtime.ok()) {
    std::fprintf(stderr, "error: %s\n", runtime.status().ToString().c_str());
    return 1;
  }
  auto handler = init(env);
  if (!handler.ok()) {
    log::Error("lambda_init_failed", {{"error", handler.status().ToString()}});
    Status posted = runtime->PostInitError("Runtime.InitError", handler.status().ToString());
    if (!posted.ok()) log::Error("lambda_init_error_post_failed", {{"error", posted.ToString()}});
    return 1;
  }
  Status st = runtime->Run(*handler);
  if (!st.ok()) {
    log::Error("lambda_runtime_exit", {{"error", st.ToString()}});
    return 1;
  }
  return 0;
}

}  // namespace brewline::aws
