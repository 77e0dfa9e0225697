#include "aws/aws_client.h"

#include "aws/crypto.h"
#include "common/log.h"

namespace brewline::aws {

AwsClient::AwsClient(AwsClientOptions options, Credentials credentials, std::shared_ptr<HttpClient> http,
                     Clock& clock)
    : options_(std::move(options)),
      credentials_(std::move(credentials)),
      http_(std::move(http)),
      clock_(clock),
      backoff_(options_.retry) {}

std::string AwsClient::BuildUrl(const AwsRequest& request) {
  std::string url = request.endpoint.Origin() + UriEncode(request.endpoint.base_path + request.path, true);
  for (size_t i = 0; i < request.query.size(); ++i) {
    url += i == 0 ? "?" : "&";
    url += UriEncode(request.query[i].first) + "=" + UriEncode(request.query[i].second);
  }
  return url;
}

HttpRequest AwsClient::Sign(const AwsRequest& request) const {
  SignableRequest sr;
  sr.method = request.method;
  sr.path = request.endpoint.base_path + request.path;
  sr.query = request.query;
  sr.headers = request.headers;
  sr.headers.emplace_back("Host", request.endpoint.HostHeader());
  sr.payload_hash = Sha256Hex(request.body);
  SigningOptions so;
  so.region = options_.region;
  so.service = options_.service;
  so.time_ms = clock_.NowMillis();
  so.normalize_path = !request.s3;
  so.add_content_sha256 = request.s3;
  SigningResult signed_request = SignWithHeaders(sr, credentials_, so);

  HttpRequest http;
  http.method = request.method;
  http.url = BuildUrl(request);
  http.headers = request.headers;
  http.headers.insert(http.headers.end(), signed_request.additions.begin(), signed_request.additions.end());
  http.body = request.body;
  http.timeout_ms = request.timeout_ms;
  http.max_response_bytes = request.max_response_bytes;
  return http;
}

Result<HttpResponse> AwsClient::Send(const AwsRequest& request, const ThrottleClassifier& is_throttle) {
  const int max_attempts = std::max(1, options_.retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> result = http_->Send(Sign(request));
    bool retry = false;
    std::string reason;
    if (!result.ok()) {
      StatusCode code = result.status().code();
      retry = code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
      reason = std::string(StatusCodeName(code));
    } else if (result->status >= 500 || result->status == 429 ||
               (result->status >= 400 && is_throttle && is_throttle(*result))) {
      retry = true;
      reason = "http " + std::to_string(result->status);
    }
    if (!retry || attempt >= max_attempts) return result;
    std::chrono::milliseconds delay;
    {
      std::lock_guard<std::mutex> lock(backoff_mu_);
      delay = backoff_.Delay(attempt);
    }
    log::Debug("aws_retry", {{"service", options_.service},
                             {"method", request.method},
                             {"attempt", attempt},
                             {"reason", reason},
                             {"delay_ms", static_cast<long long>(delay.count())}});
    clock_.SleepFor(delay);
  }
}

}  // namespace brewline::aws
