#include "server/api_server.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "common/log.h"
#include "common/time_util.h"
#include "ml/model_registry.h"
#include "server/dashboard_assets.h"
#include "server/openapi.h"
#include "server/predict_request.h"
#include "server/predictions_table.h"

namespace brewline::server {
namespace {

using Json = nlohmann::ordered_json;
constexpr char kJson[] = "application/json";

void SendError(httplib::Response& res, int status, std::string_view field, std::string_view message) {
  res.status = status;
  res.set_content(ErrorJson(status, field, message), kJson);
}

}  // namespace

struct ApiServer::Impl {
  ApiServerOptions options;
  ApiServerEnv env;
  ApiServer* owner = nullptr;
  MetricsRegistry& metrics;
  std::unique_ptr<ModelHolder> own_models;
  ModelHolder* models;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  Counter* requests_ok;
  Counter* requests_bad;
  Counter* predictions_total;

  std::mutex status_mu;  // serialises status/metrics builds (table sync, caches)
  std::unique_ptr<PredictionsTable> table;
  std::string table_error;
  std::map<int, std::optional<CvScore>> cv_cache;

  Impl(const ApiServerOptions& o, const ApiServerEnv& e)
      : options(o), env(e), metrics(e.metrics ? *e.metrics : MetricsRegistry::Default()) {
    if (env.scorer != nullptr) {
      models = &env.scorer->models();
    } else {
      own_models = std::make_unique<ModelHolder>(*env.store, *env.clock);
      models = own_models.get();
    }
    requests_ok = &metrics.GetCounter("brewline_api_predict_requests_total", "POST /v1/predict requests by outcome.",
                                      {{"outcome", "ok"}});
    requests_bad = &metrics.GetCounter("brewline_api_predict_requests_total", "POST /v1/predict requests by outcome.",
                                       {{"outcome", "rejected"}});
    predictions_total = &metrics.GetCounter("brewline_api_predictions_total", "Beers predicted by the HTTP API.");
  }

  void Routes();
  void Predict(const httplib::Request& req, httplib::Response& res);
  void Buckets(const httplib::Request& req, httplib::Response& res);
  // Under status_mu.
  Json ServingSections();
  LiveQualityReport Quality(std::vector<QualitySample>* samples_out);
  PredictionsTable* Table();
};

PredictionsTable* ApiServer::Impl::Table() {
  if (!table) {
    auto opened = PredictionsTable::Open(*env.fs, *env.clock, options.data_dir);
    if (!opened.ok()) {
      table_error = opened.status().ToString();
      return nullptr;
    }
    table = std::move(*opened);
  }
  auto synced = table->Sync(*env.store);
  table_error = synced.ok() ? "" : synced.status().ToString();
  return table.get();
}

LiveQualityReport ApiServer::Impl::Quality(std::vector<QualitySample>* samples_out) {
  std::vector<QualitySample> samples;
  if (PredictionsTable* t = Table()) {
    auto got = t->QualitySamples();
    if (got.ok()) samples = std::move(*got);
  }
  std::map<int, CvScore> cv;
  ml::ModelRegistry registry(*env.store);
  for (const QualitySample& s : samples) {
    if (cv_cache.count(s.model_version) == 0) {
      std::optional<CvScore> score;
      auto meta_json = registry.GetMetadataJson(s.model_version);
      if (meta_json.ok()) {
        auto meta = ml::MetadataFromJson(*meta_json);
        if (meta.ok()) score = CvScoreFromMetrics(meta->metrics_json);
      }
      cv_cache[s.model_version] = score;
    }
    if (auto& c = cv_cache[s.model_version]) cv[s.model_version] = *c;
  }
  LiveQualityReport report = ComputeLiveQuality(samples, cv, options.quality);
  for (const VersionQuality& q : report.versions) {
    Labels l = {{"model_version", std::to_string(q.version)}};
    metrics.GetGauge("brewline_scorer_live_accuracy", "Rolling accuracy of live predictions against actual IBU.", l)
        .Set(q.accuracy);
    metrics.GetGauge("brewline_scorer_live_macro_f1", "Rolling macro-F1 of live predictions against actual IBU.", l)
        .Set(q.macro_f1);
    metrics.GetGauge("brewline_scorer_live_samples", "Scored beers with a known IBU.", l).Set(q.samples);
    metrics.GetGauge("brewline_scorer_drift", "1 when live macro-F1 fell clearly below the CV macro-F1.", l)
        .Set(q.drift ? 1 : 0);
    if (q.cv) metrics.GetGauge("brewline_model_cv_macro_f1", "Cross-validated macro-F1 of the model.", l).Set(q.cv->macro_f1);
  }
  if (samples_out) *samples_out = std::move(samples);
  return report;
}

Json ApiServer::Impl::ServingSections() {
  Json out;
  models->MaybeRefresh(options.model_refresh);
  // Scorer.
  Json js;
  std::optional<ScorerState> st;
  if (env.scorer) st = env.scorer->state();
  else if (auto read = ReadScorerState(*env.fs, options.data_dir); read.ok()) st = *read;
  if (st) {
    js["state"] = st->state;
    js["model_version"] = st->model_version;
    js["message"] = st->message;
    js["updated"] = st->updated_ms ? FormatIso8601(st->updated_ms) : "never";
    js["in_process"] = env.scorer != nullptr;
  } else {
    js["state"] = "not started";
    js["message"] = "no scorer has run on this data dir (it runs inside `brewline run`)";
  }
  std::vector<QualitySample> samples;
  LiveQualityReport quality = Quality(&samples);
  int64_t rows = 0;
  Json latest = Json::array();
  if (table) {
    rows = table->RowCount().value_or(0);
    auto last = table->Latest(options.latest_rows);
    if (last.ok()) {
      for (const PredictionRecord& r : *last) {
        std::string line;
        AppendPredictionLine(&line, r);
        latest.push_back(Json::parse(line, nullptr, false));
      }
    }
  }
  js["predictions"] = rows;
  js["table_error"] = table_error;
  metrics.GetGauge("brewline_predictions_table_rows", "Rows in table predictions.").Set(static_cast<double>(rows));
  out["scorer"] = js;
  // Model.
  Json jm;
  ModelState ms = models->state();
  auto model = models->current();
  jm["ready"] = ms.ready;
  jm["message"] = ms.message;
  if (model) {
    const ml::ModelMetadata& md = model->metadata();
    jm["version"] = md.version;
    jm["created_at"] = md.created_at;
    jm["training_rows"] = md.training_rows;
    jm["predictor"] = std::string(model->predictor());
    if (!model->why_not_compiled().empty()) jm["predictor_note"] = model->why_not_compiled();
    jm["forest_trees"] = md.hyperparameters.forest_trees;  // 0: the boosted model alone
    Json labels = Json::array();
    for (int b = 0; b < md.bands.count(); ++b) labels.push_back(md.bands.label(b));
    jm["bands"] = labels;
    Json metrics_json = Json::parse(md.metrics_json, nullptr, false);
    jm["cv"] = metrics_json.is_discarded() ? Json(nullptr) : metrics_json;
  }
  out["model"] = jm;
  out["quality"] = Json::parse(LiveQualityJson(quality), nullptr, false);
  out["latest"] = latest;
  return out;
}

void ApiServer::Impl::Predict(const httplib::Request& req, httplib::Response& res) {
  models->MaybeRefresh(options.model_refresh);
  std::shared_ptr<const ml::IbuClassifier> model = models->current();
  std::string waiting;  // the holder's state is copied only when there is no model to serve
  if (model == nullptr) waiting = models->state().message;
  PredictReply reply = HandlePredict(model.get(), req.get_header_value("Content-Type"), req.body, options.max_batch,
                                     waiting.empty() ? "no model yet" : waiting);
  if (reply.status == 200) {
    requests_ok->Inc();
    predictions_total->Inc(reply.predictions);
  } else {
    requests_bad->Inc();
    if (reply.status == 503) res.set_header("Retry-After", "30");
  }
  res.status = reply.status;
  res.set_content(std::move(reply.body), kJson);
}

void ApiServer::Impl::Buckets(const httplib::Request& req, httplib::Response& res) {
  const std::string bucket = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
  store::ListOptions lo;
  lo.prefix = req.get_param_value("prefix");
  lo.start_after = req.get_param_value("start_after");
  lo.continuation_token = req.get_param_value("continuation_token");
  lo.delimiter = req.get_param_value("delimiter");
  if (req.has_param("max_keys")) {
    const std::string mk = req.get_param_value("max_keys");
    char* end = nullptr;
    long v = std::strtol(mk.c_str(), &end, 10);
    if (mk.empty() || *end != '\0' || v < 1 || v > 1000) {
      return SendError(res, 400, "max_keys", "expected an integer from 1 to 1000, got '" + mk + "'");
    }
    lo.max_keys = static_cast<int>(v);
  }
  if (!lo.delimiter.empty() && lo.delimiter != "/") return SendError(res, 400, "delimiter", "only '/' is supported");
  auto page = env.store->List(bucket, lo);
  if (!page.ok()) {
    const StatusCode c = page.status().code();
    const int status = c == StatusCode::kNotFound ? 404 : c == StatusCode::kInvalidArgument ? 400 : 500;
    return SendError(res, status, status == 400 ? "bucket" : "", page.status().message());
  }
  Json j;
  j["bucket"] = bucket;
  j["prefix"] = lo.prefix;
  Json objects = Json::array();
  for (const store::ObjectInfo& o : page->objects) {
    objects.push_back({{"key", o.key},
                       {"size", o.size},
                       {"last_modified", FormatIso8601(o.last_modified_ms, true)},
                       {"etag", o.etag}});
  }
  j["objects"] = objects;
  j["common_prefixes"] = page->common_prefixes;
  j["is_truncated"] = page->is_truncated;
  j["next_continuation_token"] = page->next_continuation_token;
  res.set_content(j.dump() + "\n", kJson);
}

void ApiServer::Impl::Routes() {
  server.set_payload_max_length(options.max_body_bytes);
  server.new_task_queue = [n = options.threads] { return new httplib::ThreadPool(n == 0 ? 1 : n); };
  server.set_keep_alive_max_count(100000);
  // Headers and body go out in separate writes: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per reply.
  server.set_tcp_nodelay(true);
  server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    switch (res.status) {
      case 404: return SendError(res, 404, "", "no such resource: " + req.path);
      case 413:
        return SendError(res, 413, "", "the body is larger than the limit of " +
                                           std::to_string(options.max_body_bytes) + " bytes");
      default: return SendError(res, res.status, "", "request failed with HTTP " + std::to_string(res.status));
    }
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    SendError(res, 500, "", "internal error");
  });
  auto json_get = [this](const std::string& path, std::function<void(const httplib::Request&, httplib::Response&)> fn) {
    server.Get(path, std::move(fn));
  };
  server.Post("/v1/predict", [this](const httplib::Request& req, httplib::Response& res) { Predict(req, res); });
  json_get("/v1/status", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(owner->StatusJson(), kJson);
  });
  json_get(R"(/v1/buckets/([^/?]+))", [this](const httplib::Request& req, httplib::Response& res) { Buckets(req, res); });
  json_get("/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(OpenApiJson()), kJson);
  });
  json_get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(owner->MetricsText(), "text/plain; version=0.0.4; charset=utf-8");
  });
  json_get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  for (const char* path : {"/", "/index.html", "/app.js", "/style.css"}) {
    json_get(path, [](const httplib::Request& req, httplib::Response& res) {
      const Asset* a = FindAsset(req.path);
      if (a == nullptr) return SendError(res, 404, "", "no such asset");
      res.set_header("Cache-Control", "no-cache");
      res.set_content(std::string(a->body), std::string(a->content_type));
    });
  }
  // 405 for the other methods on every known path.
  struct Route {
    const char* path;
    const char* allow;
  };
  for (const Route& r : {Route{"/v1/predict", "POST"}, Route{"/v1/status", "GET, HEAD"},
                         Route{R"(/v1/buckets/([^/?]+))", "GET, HEAD"}, Route{"/v1/openapi.json", "GET, HEAD"},
                         Route{"/metrics", "GET, HEAD"}, Route{"/healthz", "GET, HEAD"}, Route{"/", "GET, HEAD"},
                         Route{"/index.html", "GET, HEAD"}, Route{"/app.js", "GET, HEAD"},
                         Route{"/style.css", "GET, HEAD"}}) {
    const std::string allow = r.allow;
    auto refuse = [allow](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", allow);
      SendError(res, 405, "", "method " + req.method + " is not allowed here; allowed: " + allow);
    };
    if (allow == "POST") server.Get(r.path, refuse);
    else server.Post(r.path, refuse);
    server.Put(r.path, refuse);
    server.Patch(r.path, refuse);
    server.Delete(r.path, refuse);
  }
}

ApiServer::ApiServer(const ApiServerOptions& options, const ApiServerEnv& env) : impl_(new Impl(options, env)) {
  impl_->owner = this;
  impl_->Routes();
}

ApiServer::~ApiServer() { Stop(); }

Status ApiServer::Start(const std::string& host, int port) {
  if (impl_->thread.joinable()) return FailedPrecondition("api server already started");
  impl_->models->Refresh().IgnoreError();  // reported in status; requests re-check
  int bound = port == 0 ? impl_->server.bind_to_any_port(host)
                        : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) return Unavailable("cannot listen on " + host + ":" + std::to_string(port) + " (address in use?)");
  impl_->port = bound;
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  return Status::OK();
}

void ApiServer::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->server.stop();
  impl_->thread.join();
}

int ApiServer::port() const { return impl_->port; }

std::string ApiServer::StatusJson() {
  Json j;
  if (impl_->env.pipeline_status) {
    j = Json::parse(impl_->env.pipeline_status(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) j = Json{{"pipeline_error", "the pipeline status is not a JSON object"}};
  } else {
    j = Json::object();
  }
  std::lock_guard<std::mutex> lock(impl_->status_mu);
  Json serving = impl_->ServingSections();
  for (auto it = serving.begin(); it != serving.end(); ++it) j[it.key()] = it.value();
  return j.dump() + "\n";
}

std::string ApiServer::MetricsText() {
  {
    std::lock_guard<std::mutex> lock(impl_->status_mu);
    impl_->Quality(nullptr);  // refreshes the live-quality gauges
  }
  return impl_->metrics.RenderPrometheus();
}

}  // namespace brewline::server
