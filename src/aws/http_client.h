// HttpClient: the HTTP seam under every AWS client and the Lambda runtime client. CurlHttpClient is the real
// transport (libcurl); tests substitute scripted fakes. No transport types appear here.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace brewline::aws {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute, already encoded
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int64_t timeout_ms = 30000;            // whole exchange; 0 = no limit (the Lambda "next" long poll)
  int64_t connect_timeout_ms = 5000;
  uint64_t max_response_bytes = 64ull << 20;  // a larger body fails with ResourceExhausted
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in arrival order
  std::string body;
  // The first header with this (case-insensitive) name, or "".
  std::string Header(std::string_view name) const;
};

// Sends one request; HTTP error statuses are responses, not errors. Errors are transport failures:
// Unavailable (connect/reset/DNS), DeadlineExceeded (timeout), ResourceExhausted (response too large),
// InvalidArgument (bad URL). Implementations are thread-safe.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual Result<HttpResponse> Send(const HttpRequest& request) = 0;
};

// libcurl, with a small pool of reusable handles so connections are kept alive between calls. Thread-safe.
class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request) override;

 private:
  void* Acquire();
  void Release(void* handle);

  std::mutex mu_;
  std::vector<void*> idle_;  // CURL* handles not in use
};

}  // namespace brewline::aws
