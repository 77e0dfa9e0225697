#include "punkapi/server.h"

#include <httplib.h>
#include <netinet/tcp.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "punkapi/query.h"
#include "punkapi/rate_limiter.h"

namespace brewline::punkapi {

namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

std::string ArrayOf(const std::vector<const DatasetBeer*>& beers) {
  size_t n = 2;
  for (const DatasetBeer* b : beers) n += b->json.size() + 1;
  std::string out;
  out.reserve(n);
  out += '[';
  for (size_t i = 0; i < beers.size(); ++i) {
    if (i) out += ',';
    out += beers[i]->json;
  }
  out += ']';
  return out;
}

}  // namespace

struct Server::Impl {
  Impl(std::shared_ptr<const Dataset> ds, ServerOptions opts, Clock& clock)
      : dataset(std::move(ds)),
        options(opts),
        limiter(clock, opts.rate_limit, opts.rate_window),
        rng(opts.seed ? opts.seed : std::random_device{}()) {
    MetricsRegistry& m = options.metrics ? *options.metrics : MetricsRegistry::Default();
    const char* help = "Punk API server responses by status code";
    for (size_t i = 0; i < kCodes.size(); ++i) {
      by_code[i] = &m.GetCounter("brewline_punkapi_responses_total", help, {{"code", std::to_string(kCodes[i])}});
    }
    other_code = &m.GetCounter("brewline_punkapi_responses_total", help, {{"code", "other"}});
    rate_limited = &m.GetCounter("brewline_punkapi_rate_limited_total", "requests refused with 429");
    random_served = &m.GetCounter("brewline_punkapi_random_total", "random beers served");
  }

  void CountResponse(int status) {
    for (size_t i = 0; i < kCodes.size(); ++i) {
      if (kCodes[i] == status) {
        by_code[i]->Inc();
        return;
      }
    }
    other_code->Inc();
  }

  // Uniform over every beer except the previous pick.
  const DatasetBeer& PickRandom() {
    const auto& beers = dataset->beers();
    std::lock_guard<std::mutex> lock(rng_mu);
    size_t n = beers.size();
    size_t pick = 0;
    if (n > 1) {
      if (last_random == SIZE_MAX) {
        pick = std::uniform_int_distribution<size_t>(0, n - 1)(rng);
      } else {
        pick = std::uniform_int_distribution<size_t>(0, n - 2)(rng);
        if (pick >= last_random) ++pick;
      }
    }
    last_random = pick;
    return beers[pick];
  }

  void Install();

  static constexpr std::array<int, 7> kCodes = {200, 204, 400, 404, 413, 429, 500};
  std::shared_ptr<const Dataset> dataset;
  ServerOptions options;
  RateLimiter limiter;
  std::mutex rng_mu;
  std::mt19937_64 rng;
  size_t last_random = SIZE_MAX;
  std::array<Counter*, kCodes.size()> by_code{};
  Counter* other_code = nullptr;
  Counter* rate_limited = nullptr;
  Counter* random_served = nullptr;

  httplib::Server http;
  std::thread thread;
  std::mutex lifecycle_mu;
  std::atomic<int> bound_port{0};
  std::atomic<bool> started{false};
  std::atomic<bool> listener_done{false};
};

void Server::Impl::Install() {
  http.new_task_queue = [n = options.threads] { return new httplib::ThreadPool(n == 0 ? 1 : n); };
  http.set_payload_max_length(options.max_body_bytes);
  http.set_read_timeout(options.read_timeout);
  http.set_write_timeout(options.write_timeout);
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(2);  // bounds how long Stop() waits on an idle keep-alive connection
  // httplib's default also sets SO_REUSEPORT, which would let a second server silently share a busy port.
  // TCP_NODELAY (inherited by accepted sockets on Linux): httplib writes headers and body separately, and
  // Nagle + delayed ACK would add ~40 ms to every keep-alive response.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Access-Control-Allow-Origin", "*");
    if (req.method == "OPTIONS") {  // CORS preflight: not rate limited, no body
      res.status = 204;
      res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
      std::string asked = req.get_header_value("Access-Control-Request-Headers");
      res.set_header("Access-Control-Allow-Headers", asked.empty() ? "*" : asked);
      res.set_header("Access-Control-Max-Age", "86400");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!limiter.enabled()) return httplib::Server::HandlerResponse::Unhandled;
    RateDecision d = limiter.Check(req.remote_addr);
    res.set_header("X-RateLimit-Limit", std::to_string(d.limit));
    res.set_header("X-RateLimit-Remaining", std::to_string(d.remaining));
    res.set_header("X-RateLimit-Reset", std::to_string(d.reset_epoch_s));
    if (d.allowed) return httplib::Server::HandlerResponse::Unhandled;
    rate_limited->Inc();
    res.status = 429;
    res.set_header("Retry-After", std::to_string(d.retry_after_s));
    res.set_content(TooManyRequestsBody(), kJson);
    return httplib::Server::HandlerResponse::Handled;
  });

  http.Get(R"(/v2/beers/?)", [this](const httplib::Request& req, httplib::Response& res) {
    std::vector<ParamError> errors;
    QueryParams params(req.params.begin(), req.params.end());
    auto query = ParseBeerQuery(params, &errors);
    if (!query.ok()) {
      res.status = 400;
      res.set_content(BadRequestBody(errors), kJson);
      return;
    }
    res.set_content(ArrayOf(RunQuery(*dataset, *query)), kJson);
  });

  http.Get(R"(/v2/beers/random/?)", [this](const httplib::Request&, httplib::Response& res) {
    random_served->Inc();
    res.set_header("Cache-Control", "no-store");
    res.set_content(ArrayOf({&PickRandom()}), kJson);
  });

  http.Get(R"(/v2/beers/([^/]+)/?)", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string raw = req.matches[1];
    auto id = ParseBeerId(raw);
    if (!id) {
      res.status = 400;
      res.set_content(BadRequestBody({{"params", "beerId", "beerId must be a number and greater than 0", raw}}),
                      kJson);
      return;
    }
    const DatasetBeer* beer = dataset->Find(*id);
    if (beer == nullptr) {
      res.status = 404;
      res.set_content(NotFoundBody("No beer found that matches the ID " + raw), kJson);
      return;
    }
    res.set_content(ArrayOf({beer}), kJson);
  });

  // Called for every status >= 400; fills in a body only where no handler wrote one (unknown endpoint,
  // oversized or malformed requests rejected by httplib itself).
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                  httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    if (res.status == 404) {
      res.set_content(NotFoundBody("No endpoint found that matches '" + req.target + "'"), kJson);
    } else {
      std::string reason = res.status == 413   ? "Payload Too Large"
                           : res.status == 414 ? "URI Too Long"
                           : res.status < 500  ? "Bad Request"
                                               : "Internal Server Error";
      res.set_content(ErrorBody(res.status, reason, reason), kJson);
    }
    return httplib::Server::HandlerResponse::Handled;
  }));

  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(ErrorBody(500, "Internal Server Error", "Something has gone wrong on our end"), kJson);
  });

  http.set_logger([this](const httplib::Request&, const httplib::Response& res) { CountResponse(res.status); });
}

Server::Server(std::shared_ptr<const Dataset> dataset, ServerOptions options, Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(dataset), options, clock)) {
  impl_->Install();
}

Server::~Server() { Stop(); }

Status Server::Start(const std::string& host, int port) {
  std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
  if (impl_->started) return FailedPrecondition("punkapi server already started");
  if (impl_->dataset == nullptr || impl_->dataset->size() == 0) {
    return FailedPrecondition("punkapi server needs a non-empty dataset");
  }
  int bound = 0;
  if (port == 0) {
    bound = impl_->http.bind_to_any_port(host);
  } else {
    bound = impl_->http.bind_to_port(host, port) ? port : -1;
  }
  if (bound <= 0) {
    return Unavailable("cannot listen on " + host + ":" + std::to_string(port) + " (address in use or invalid)");
  }
  impl_->bound_port = bound;
  impl_->started = true;
  impl_->listener_done = false;
  impl_->thread = std::thread([this] {
    impl_->http.listen_after_bind();
    impl_->listener_done = true;
  });
  // httplib's stop() is a no-op until the listener is running, so wait for it here; otherwise a Stop() right
  // after Start() could leave the thread listening forever.
  for (int i = 0; i < 10000 && !impl_->http.is_running() && !impl_->listener_done; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!impl_->http.is_running()) {
    impl_->http.stop();
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->started = false;
    return Unavailable("punkapi server on " + host + ":" + std::to_string(bound) + " did not start");
  }
  return Status::OK();
}

void Server::Stop() {
  std::lock_guard<std::mutex> lock(impl_->lifecycle_mu);
  if (!impl_->started) return;
  impl_->http.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->started = false;
}

int Server::port() const { return impl_->bound_port.load(); }

bool Server::running() const { return impl_->started.load() && impl_->http.is_running(); }

}  // namespace brewline::punkapi
