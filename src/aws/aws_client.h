// AwsClient: one signed AWS request with retries. Signs each attempt afresh with SigV4 (so a retry late in the
// backoff is not rejected as stale), and retries transport failures, 5xx and throttling responses with capped
// exponential backoff and full jitter (common/backoff.h), waiting on the injected Clock.
// Thread-safe when the HttpClient is; it shares ownership of the HttpClient; the Clock must outlive it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "common/backoff.h"
#include "common/clock.h"

namespace brewline::aws {

struct AwsRequest {
  Endpoint endpoint;
  std::string method = "GET";
  std::string path = "/";  // decoded; the endpoint's base path is prepended
  KeyValues query;         // decoded
  KeyValues headers;       // besides Host, X-Amz-*, Authorization (added here)
  std::string body;
  bool s3 = false;         // S3 signing: no path normalisation, x-amz-content-sha256 header
  int64_t timeout_ms = 30000;
  uint64_t max_response_bytes = 64ull << 20;
};

// Says whether an error response is throttling that a retry may cure (service-specific).
using ThrottleClassifier = std::function<bool(const HttpResponse&)>;

struct AwsClientOptions {
  std::string service;  // signing name: "kinesis", "s3"
  std::string region;
  BackoffPolicy retry{std::chrono::milliseconds(100), std::chrono::milliseconds(5000), 5};
};

class AwsClient {
 public:
  AwsClient(AwsClientOptions options, Credentials credentials, std::shared_ptr<HttpClient> http, Clock& clock);

  // Returns the final response (2xx or the last error response once retries are spent), or the last transport
  // error. `is_throttle` may be empty (then only 429 and 5xx are retried).
  Result<HttpResponse> Send(const AwsRequest& request, const ThrottleClassifier& is_throttle = {});

  const AwsClientOptions& options() const { return options_; }
  // Exposed for tests: the wire URL for a request (endpoint + encoded path + encoded query).
  static std::string BuildUrl(const AwsRequest& request);

 private:
  HttpRequest Sign(const AwsRequest& request) const;

  AwsClientOptions options_;
  Credentials credentials_;
  std::shared_ptr<HttpClient> http_;
  Clock& clock_;
  std::mutex backoff_mu_;
  Backoff backoff_;
};

}  // namespace brewline::aws
