#include "punkapi/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <random>

#include "beer/json_array.h"
#include "common/log.h"

namespace brewline::punkapi {

namespace {

std::once_flag g_curl_init;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// One attempt's outcome.
struct Attempt {
  CURLcode curl = CURLE_OK;
  long status = 0;
  std::string body;
  bool too_large = false;
  std::optional<int64_t> retry_after_s;
  std::string curl_error;
};

std::string Snippet(std::string_view body) {
  std::string s(body.substr(0, 120));
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return body.size() > 120 ? s + "..." : s;
}

}  // namespace

Status ResolvePunkApiUrl(const std::string& url, std::string* random_url, std::string* beers_url) {
  std::string u = url;
  while (!u.empty() && u.back() == '/') u.pop_back();
  std::string lower = u;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0) {
    return InvalidArgument("Punk API URL must start with http:// or https://, got '" + url + "'");
  }
  if (u.find_first_of("?# ") != std::string::npos) {
    return InvalidArgument("Punk API URL must not contain a query, fragment or space: '" + url + "'");
  }
  if (EndsWith(u, "/beers/random")) {
    *random_url = u;
    *beers_url = u.substr(0, u.size() - std::string_view("/random").size());
  } else {
    *random_url = u + "/v2/beers/random";
    *beers_url = u + "/v2/beers";
  }
  return Status::OK();
}

struct Client::Transport {
  CURL* curl = nullptr;
  Attempt* current = nullptr;
  size_t max_body = 0;

  ~Transport() {
    if (curl) curl_easy_cleanup(curl);
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transport*>(self);
    size_t bytes = size * n;
    if (t->current->body.size() + bytes > t->max_body) {
      t->current->too_large = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    t->current->body.append(data, bytes);
    return bytes;
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transport*>(self);
    std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) t->current->retry_after_s.reset();  // a new response (redirect, 100)
    constexpr std::string_view kName = "retry-after:";
    if (line.size() > kName.size()) {
      std::string head(line.substr(0, kName.size()));
      std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
      if (head == kName) {
        std::string value(line.substr(kName.size()));
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \t\r\n") + 1);
        if (!value.empty() && std::all_of(value.begin(), value.end(), ::isdigit) && value.size() < 10) {
          t->current->retry_after_s = std::stoll(value);
        } else if (!value.empty()) {
          time_t when = curl_getdate(value.c_str(), nullptr);  // HTTP-date form
          if (when > 0) t->current->retry_after_s = std::max<int64_t>(0, int64_t(when) - int64_t(time(nullptr)));
        }
      }
    }
    return size * n;
  }
};

Client::Client(ClientOptions options, Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      backoff_(options_.backoff, options_.backoff_seed ? options_.backoff_seed : std::random_device{}()),
      transport_(std::make_unique<Transport>()) {
  url_status_ = ResolvePunkApiUrl(options_.url, &random_url_, &beers_url_);
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  transport_->curl = curl_easy_init();
  transport_->max_body = options_.max_body_bytes;
}

Client::~Client() = default;

Result<std::string> Client::GetWithRetries(const std::string& url) {
  RETURN_IF_ERROR(url_status_);
  if (transport_->curl == nullptr) return Internal("curl_easy_init failed");
  stats_ = {};
  CURL* c = transport_->curl;
  const int64_t start_ns = clock_.MonotonicNanos();
  const int64_t deadline_ms = options_.deadline.count();
  auto elapsed_ms = [&] { return (clock_.MonotonicNanos() - start_ns) / 1000000; };
  Status last;
  const int max_attempts = std::max(1, options_.backoff.max_attempts);
  for (int attempt = 1; attempt <= max_attempts; ++attempt) {
    const int64_t left_ms = deadline_ms - elapsed_ms();
    if (left_ms <= 0) break;
    Attempt a;
    transport_->current = &a;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(std::min<int64_t>(options_.connect_timeout.count(), left_ms)));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(std::min<int64_t>(options_.request_timeout.count(), left_ms)));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(options_.max_body_bytes));
    curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Transport::OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, transport_.get());
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Transport::OnHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, transport_.get());
    char errbuf[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    struct curl_slist* headers = curl_slist_append(nullptr, "Accept: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    a.curl = curl_easy_perform(c);
    curl_slist_free_all(headers);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
    transport_->current = nullptr;
    stats_.attempts = attempt;
    stats_.last_status = int(a.status);
    const std::string what = "GET " + url;

    std::chrono::milliseconds min_wait{0};
    if (a.too_large || a.curl == CURLE_FILESIZE_EXCEEDED) {
      return FailedPrecondition(what + ": response body exceeds " + std::to_string(options_.max_body_bytes) +
                                " bytes");
    }
    if (a.curl != CURLE_OK) {
      std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(a.curl);
      switch (a.curl) {
        case CURLE_OPERATION_TIMEDOUT:
          last = DeadlineExceeded(what + ": timed out: " + detail);
          break;
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
          last = Unavailable(what + ": " + detail);
          break;
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CACERT_BADFILE:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_SSL_CERTPROBLEM:
          return PermissionDenied(what + ": TLS verification failed: " + detail);
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
          return InvalidArgument(what + ": " + detail);
        case CURLE_TOO_MANY_REDIRECTS:
          return FailedPrecondition(what + ": " + detail);
        default:
          last = Unavailable(what + ": " + detail);
          break;
      }
    } else if (a.status >= 200 && a.status < 300) {
      return std::move(a.body);
    } else if (a.status == 429) {
      last = ResourceExhausted(what + ": HTTP 429 Too Many Requests");
      if (a.retry_after_s) {
        min_wait = std::min<std::chrono::milliseconds>(std::chrono::seconds(*a.retry_after_s),
                                                       options_.max_retry_after);
      }
    } else if (a.status >= 500) {
      last = Unavailable(what + ": HTTP " + std::to_string(a.status) + ": " + Snippet(a.body));
    } else if (a.status == 404) {
      return NotFound(what + ": HTTP 404: " + Snippet(a.body));
    } else {
      return FailedPrecondition(what + ": HTTP " + std::to_string(a.status) + ": " + Snippet(a.body));
    }
    if (attempt == max_attempts) break;
    std::chrono::milliseconds wait = std::max(backoff_.Delay(attempt), min_wait);
    if (elapsed_ms() + wait.count() >= deadline_ms) {
      last = Status(last.code(), last.message() + "; the next retry (in " + std::to_string(wait.count()) +
                                     " ms) would pass the " + std::to_string(deadline_ms) + " ms deadline");
      break;
    }
    log::Debug("punkapi_retry", {{"url", url}, {"attempt", attempt}, {"wait_ms", int64_t(wait.count())},
                                 {"error", last.message()}});
    clock_.SleepFor(wait);
  }
  if (last.ok()) return DeadlineExceeded("GET " + url + ": deadline of " + std::to_string(deadline_ms) + " ms passed");
  return Status(last.code(), last.message() + " (after " + std::to_string(stats_.attempts) + " attempts)");
}

Result<RandomBeer> Client::FetchRandom() {
  ASSIGN_OR_RETURN(std::string body, GetWithRetries(random_url_));
  const std::string what = "GET " + random_url_ + ": ";
  auto spans = beer::SplitJsonArray(body);
  if (!spans.ok()) {
    return Corruption(what + "response is not a JSON array of one beer: " + spans.status().message() + ": " +
                      Snippet(body));
  }
  if (spans->size() != 1) {
    return Corruption(what + "expected a JSON array of exactly one beer, got " + std::to_string(spans->size()) +
                      " elements");
  }
  RandomBeer out;
  out.json.assign((*spans)[0].text);
  auto parsed = parser_.Parse(out.json);
  if (!parsed.ok()) return Corruption(what + "invalid beer: " + parsed.status().message());
  out.beer = std::move(parsed).value();
  return out;
}

Result<std::vector<std::string>> Client::FetchPage(int page, int per_page) {
  if (page < 1 || per_page < 1 || per_page > 80) {
    return InvalidArgument("FetchPage: page must be >= 1 and per_page 1..80");
  }
  const std::string url = beers_url_ + "?page=" + std::to_string(page) + "&per_page=" + std::to_string(per_page);
  ASSIGN_OR_RETURN(std::string body, GetWithRetries(url));
  auto spans = beer::SplitJsonArray(body);
  if (!spans.ok()) return Corruption("GET " + url + ": response is not a JSON array: " + spans.status().message());
  std::vector<std::string> out;
  out.reserve(spans->size());
  for (const auto& span : *spans) {
    auto parsed = parser_.Parse(span.text);
    if (!parsed.ok()) return Corruption("GET " + url + ": invalid beer: " + parsed.status().message());
    out.emplace_back(span.text);
  }
  return out;
}

}  // namespace brewline::punkapi
