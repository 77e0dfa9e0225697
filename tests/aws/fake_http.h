// A scripted HttpClient for unit tests: records every request and answers from a queue (or a function).
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "aws/http_client.h"

namespace brewline::aws::testing {

class FakeHttpClient final : public HttpClient {
 public:
  using Responder = std::function<Result<HttpResponse>(const HttpRequest&)>;

  void Push(Result<HttpResponse> r) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(r));
  }
  void Push(int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpResponse resp;
    resp.status = status;
    resp.body = std::move(body);
    resp.headers = std::move(headers);
    Push(Result<HttpResponse>(std::move(resp)));
  }
  void SetResponder(Responder r) { responder_ = std::move(r); }

  Result<HttpResponse> Send(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (responder_) return responder_(request);
    if (queue_.empty()) return Internal("FakeHttpClient: no scripted response for " + request.url);
    Result<HttpResponse> r = std::move(queue_.front());
    queue_.pop_front();
    return r;
  }

  std::vector<HttpRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::deque<Result<HttpResponse>> queue_;
  std::vector<HttpRequest> requests_;
  Responder responder_;
};

inline std::string HeaderOf(const HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return v;
    }
  }
  return "";
}

}  // namespace brewline::aws::testing
