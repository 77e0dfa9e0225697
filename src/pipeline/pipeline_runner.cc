#include "pipeline/pipeline_runner.h"

#include <unistd.h>

#include <atomic>
#include <thread>
#include <vector>

#include "aws/aws_backend.h"
#include "common/log.h"
#include "delivery/delivery.h"
#include "pipeline/admin_server.h"
#include "pipeline/ingest_job.h"
#include "pipeline/punkapi_source.h"
#include "pipeline/run_state.h"
#include "pipeline/status_report.h"
#include "punkapi/dataset.h"
#include "punkapi/server.h"
#include "schedule/scheduler.h"
#include "server/api_server.h"
#include "server/scorer.h"
#include "store/fs_object_store.h"
#include "stream/local_stream.h"
#include "table/cleaned_table.h"

namespace brewline::pipeline {

static_assert(std::string_view(kDefaultServeListen) == std::string_view(server::kDefaultServeListen));

struct PipelineRunner::Impl {
  PipelineConfig config;
  FileSystem& fs;
  Clock& clock;
  MetricsRegistry& metrics;
  std::unique_ptr<FileLock> lock;
  std::unique_ptr<punkapi::Server> punkapi;
  std::string source_url;
  bool aws = false;                           // config.backend == "aws"
  std::unique_ptr<stream::Stream> stream;     // LocalStream, or aws::KinesisStream
  stream::LocalStream* local_stream = nullptr;  // == stream when local; nullptr on AWS (local-only stats)
  std::unique_ptr<store::ObjectStore> store;  // FsObjectStore, or aws::S3ObjectStore
  std::string raw_bucket = "raw", cleaned_bucket = "cleaned";
  std::vector<std::unique_ptr<delivery::Delivery>> deliveries;
  std::unique_ptr<table::CleanedTable> table;
  std::unique_ptr<PunkApiSource> source;
  std::unique_ptr<IngestJob> ingest;
  std::unique_ptr<schedule::Scheduler> scheduler;
  std::unique_ptr<AdminServer> admin;
  std::unique_ptr<server::Scorer> scorer;  // the model in the pipeline: third consumer of the stream
  std::unique_ptr<server::ApiServer> api;  // /v1/predict and the dashboard (brewline serve)
  int64_t started_ms = 0;
  std::atomic<uint64_t> table_syncs{0}, table_sync_failures{0};
  std::mutex table_mu;  // guards table_last_error and serialises syncs
  std::string table_last_error;

  Impl(const PipelineConfig& c, FileSystem& f, Clock& k, MetricsRegistry& m) : config(c), fs(f), clock(k), metrics(m) {}

  Status OpenBackends();
  Status StartSource();
  Status StartAdmin();
  Status SyncTable();
  RunState Snapshot(bool running);
  void PublishGauges();
};

namespace {

// Binds via `start(host, port)`; when the default address is taken, retries on a free port and says so.
template <typename StartFn>
Result<int> BindWithFallback(const std::string& what, const std::string& listen, const char* default_listen,
                             StartFn start) {
  std::string host;
  int port = 0;
  RETURN_IF_ERROR(ParseListenAddress(listen, &host, &port));
  Status st = start(host, port);
  if (st.ok()) return port;
  if (listen != default_listen) return st.WithContext(what + " " + listen);
  log::Warn("run.port_taken", {{"server", what}, {"listen", listen}, {"fallback", "a free port"}});
  RETURN_IF_ERROR(start(host, 0).WithContext(what));
  return 0;
}

}  // namespace

// The stream and the object store: local files under the data dir, or Kinesis and S3. On AWS the stream and
// both buckets must already exist (Terraform creates them); the first one missing is the error.
Status PipelineRunner::Impl::OpenBackends() {
  if (!aws) {
    stream::StreamOptions sopts;
    sopts.shard_count = config.shards;
    // Kinesis's per-shard limits by default, so a design that would be throttled on AWS is throttled here too.
    ASSIGN_OR_RETURN(sopts.limits, stream::ParseShardLimits(config.shard_limits));
    ASSIGN_OR_RETURN(auto local, stream::LocalStream::OpenOrCreate(fs, clock, config.data_dir, config.stream, sopts));
    local_stream = local.get();
    stream = std::move(local);
    store = std::make_unique<store::FsObjectStore>(fs, store::BucketsDir(config.data_dir));
    return Status::OK();
  }
  const aws::AwsBackendConfig ac = AwsBackendConfigFor(config);
  auto backends = aws::MakeAwsBackends(ac, aws::ProcessEnv(), fs, clock);
  if (!backends.ok()) return backends.status().WithContext("aws backend");
  RETURN_IF_ERROR(aws::VerifyAwsResources(*backends));
  log::Info("run.aws_backend", {{"region", backends->info.region},
                                {"kinesis", backends->info.kinesis_endpoint},
                                {"s3", backends->info.s3_endpoint},
                                {"stream", ac.stream_name},
                                {"raw_bucket", ac.raw_bucket},
                                {"cleaned_bucket", ac.cleaned_bucket},
                                {"credentials", backends->info.credentials}});
  stream = std::move(backends->stream);
  store = std::move(backends->store);
  return Status::OK();
}

Status PipelineRunner::Impl::StartSource() {
  if (!config.source.empty()) {
    source_url = config.source;
    return Status::OK();
  }
  ASSIGN_OR_RETURN(std::string path, punkapi::FindDefaultDatasetPath(fs));
  ASSIGN_OR_RETURN(punkapi::Dataset dataset, punkapi::Dataset::Load(fs, path));
  punkapi::ServerOptions opts;
  opts.rate_limit = 0;  // our own ingest is the only client; the schedule is the rate limit
  opts.metrics = &metrics;
  punkapi = std::make_unique<punkapi::Server>(std::make_shared<const punkapi::Dataset>(std::move(dataset)), opts);
  auto bound = BindWithFallback("punkapi", config.punkapi_listen, kDefaultPunkApiListen,
                                [&](const std::string& h, int p) { return punkapi->Start(h, p); });
  if (!bound.ok()) return bound.status();
  std::string host;
  int port = 0;
  RETURN_IF_ERROR(ParseListenAddress(config.punkapi_listen, &host, &port));
  source_url = "http://" + host + ":" + std::to_string(punkapi->port());
  log::Info("run.punkapi_listening", {{"url", source_url}, {"dataset", path}});
  return Status::OK();
}

Status PipelineRunner::Impl::StartAdmin() {
  admin = std::make_unique<AdminServer>(metrics, [this] {
    auto report = CollectStatus(fs, clock, config.data_dir, config.stream);
    return report.ok() ? report->json : "{\"error\":\"" + report.status().message() + "\"}";
  });
  auto bound = BindWithFallback("admin", config.admin_listen, kDefaultAdminListen,
                                [&](const std::string& h, int p) { return admin->Start(h, p); });
  if (!bound.ok()) return bound.status();
  return Status::OK();
}

Status PipelineRunner::Impl::SyncTable() {
  if (!table) return Status::OK();
  std::lock_guard<std::mutex> lock(table_mu);
  auto stats = table->Sync(*store, cleaned_bucket);
  table_syncs++;
  metrics.GetCounter("brewline_table_syncs_total", "Table syncs over the cleaned bucket.").Inc();
  if (!stats.ok()) {
    table_sync_failures++;
    metrics.GetCounter("brewline_table_sync_failures_total", "Table syncs that failed.").Inc();
    table_last_error = stats.status().ToString();
    log::Warn("table.sync_failed", {{"reason", table_last_error}});
    return stats.status();
  }
  if (stats->rows_loaded > 0 || stats->lines_rejected > 0) {
    log::Info("table.synced", {{"objects", static_cast<long long>(stats->objects_loaded)},
                               {"rows", static_cast<long long>(stats->rows_loaded)},
                               {"rejected", static_cast<long long>(stats->lines_rejected)}});
  }
  return Status::OK();
}

RunState PipelineRunner::Impl::Snapshot(bool running) {
  RunState s;
  s.pid = ::getpid();
  s.running = running;
  s.started_ms = started_ms;
  s.updated_ms = clock.NowMillis();
  s.stopped_ms = running ? 0 : s.updated_ms;
  s.schedule = scheduler ? scheduler->schedule().text() : "";
  s.source = source_url;
  s.admin_url = admin ? "http://127.0.0.1:" + std::to_string(admin->port()) : "";
  if (ingest) {
    IngestStats in = ingest->stats();
    s.ingest_runs = in.runs;
    s.ingested = in.ingested;
    s.fetch_failures = in.fetch_failures;
    s.invalid = in.invalid;
    s.put_failures = in.put_failures;
    s.bad_events = in.bad_events;
    s.last_ingest_ms = in.last_run_ms;
    s.last_ingest_ok = in.last_ok;
    s.last_ingest_result = in.last_result;
  }
  if (scheduler) {
    schedule::SchedulerStats st = scheduler->stats();
    s.next_fire_ms = st.next_fire_ms;
    s.catch_ups = st.catch_ups;
    s.missed_periods = st.missed_periods;
  }
  s.table_syncs = table_syncs.load();
  s.table_sync_failures = table_sync_failures.load();
  if (local_stream != nullptr) {
    s.stream_limits = config.shard_limits;
    if (auto shards = local_stream->Stats(); shards.ok()) {
      for (const stream::ShardStats& st : *shards) {
        s.stream_write_throttled += st.write_throttled;
        s.stream_read_throttled += st.read_throttled;
      }
    }
  }
  std::lock_guard<std::mutex> lock(table_mu);
  s.table_last_error = table_last_error;
  return s;
}

void PipelineRunner::Impl::PublishGauges() {
  if (local_stream == nullptr) return;  // consumer lag is read from the local stream's files
  auto report = CollectStatus(fs, clock, config.data_dir, config.stream);
  if (!report.ok()) return;
  for (const ConsumerLag& l : report->lags) {
    Labels labels = {{"consumer", l.consumer}, {"shard", l.shard_id}};
    metrics.GetGauge("brewline_consumer_lag_records", "Records a consumer is behind the stream.", labels)
        .Set(static_cast<double>(l.records_behind));
    metrics.GetGauge("brewline_consumer_lag_ms", "How far behind the newest record a consumer is, in ms.", labels)
        .Set(static_cast<double>(l.ms_behind));
  }
  if (scheduler) {
    metrics.GetGauge("brewline_schedule_next_fire_timestamp_seconds", "When ingest fires next (Unix time).")
        .Set(static_cast<double>(scheduler->stats().next_fire_ms) / 1000.0);
  }
}

PipelineRunner::PipelineRunner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PipelineRunner::~PipelineRunner() = default;

std::string PipelineRunner::source_url() const { return impl_->source_url; }
std::string PipelineRunner::admin_url() const {
  return impl_->admin ? "http://127.0.0.1:" + std::to_string(impl_->admin->port()) : "";
}

Result<std::unique_ptr<PipelineRunner>> PipelineRunner::Start(const PipelineConfig& config, FileSystem& fs,
                                                              Clock& clock, MetricsRegistry& metrics) {
  RETURN_IF_ERROR(ValidatePipelineConfig(config));
  auto impl = std::make_unique<Impl>(config, fs, clock, metrics);
  const std::string& dir = config.data_dir;
  impl->aws = config.backend == "aws";
  if (impl->aws) {
    impl->raw_bucket = config.aws.raw_bucket;
    impl->cleaned_bucket = config.aws.cleaned_bucket;
    // Before anything is created (the data dir included): a missing stream or bucket is the only error.
    RETURN_IF_ERROR(impl->OpenBackends());
  }
  // 1. One run per data dir.
  RETURN_IF_ERROR(fs.CreateDirs(RunDir(dir)));
  auto lock = fs.Lock(RunLockPath(dir), /*wait=*/false);
  if (!lock.ok()) {
    auto other = ReadRunState(fs, dir);
    std::string who = other.ok() ? " (pid " + std::to_string(other->pid) + ")" : "";
    return FailedPrecondition("another `brewline run`" + who + " is already running on data dir " + dir +
                              "; stop it first (one run per data dir)");
  }
  impl->lock = std::move(*lock);
  impl->started_ms = clock.NowMillis();
  // 2. Source, stream, store, deliveries, table.
  RETURN_IF_ERROR(impl->StartSource());
  if (!impl->aws) RETURN_IF_ERROR(impl->OpenBackends());
  for (delivery::DeliveryConfig dc : {delivery::DefaultRawDelivery(), delivery::DefaultCleanedDelivery()}) {
    dc.stream = config.stream;
    dc.bucket = dc.name == "raw" ? impl->raw_bucket : impl->cleaned_bucket;
    dc.buffer_interval = std::chrono::duration_cast<std::chrono::seconds>(config.buffer_interval);
    dc.buffer_size_bytes = static_cast<uint64_t>(config.buffer_size_mb) * delivery::kMiB;
    dc.poll_interval = config.poll_interval;
    delivery::DeliveryEnv env;
    env.stream = impl->stream.get();
    env.store = impl->store.get();
    env.clock = &clock;
    env.fs = &fs;
    env.data_dir = dir;
    env.metrics = &metrics;
    auto d = delivery::Delivery::Open(dc, env);
    if (!d.ok()) return d.status().WithContext("delivery " + dc.name);
    impl->deliveries.push_back(std::move(*d));
  }
  if (impl->aws) {
    log::Info("run.scorer_skipped", {{"reason", "the model registry is local; the scorer and the prediction API "
                                                "run with --backend local only"}});
  } else {
    server::ScorerOptions so;
    so.data_dir = dir;
    so.stream = config.stream;
    so.buffer_interval = std::chrono::duration_cast<std::chrono::seconds>(config.buffer_interval);
    so.buffer_size_bytes = static_cast<uint64_t>(config.buffer_size_mb) * delivery::kMiB;
    so.poll_interval = config.poll_interval;
    so.metrics = &metrics;
    auto scorer = server::Scorer::Open(so, *impl->stream, *impl->store, clock, fs);
    if (!scorer.ok()) return scorer.status().WithContext("scorer");
    impl->scorer = std::move(*scorer);
  }
  if (config.table_enabled) {
    ASSIGN_OR_RETURN(impl->table, table::CleanedTable::Open(fs, clock, dir));
  }
  // 3. Ingest and its schedule.
  punkapi::ClientOptions copts;
  copts.url = impl->source_url;
  copts.request_timeout = config.source_timeout;
  copts.deadline = config.source_timeout * 4;
  impl->source = std::make_unique<PunkApiSource>(copts, clock);
  IngestOptions iopts;
  iopts.metrics = &metrics;
  impl->ingest = std::make_unique<IngestJob>(*impl->source, *impl->stream, clock, iopts);
  auto expr = config.every ? schedule::ScheduleExpression::Every(*config.every)
                           : schedule::ScheduleExpression::Parse(config.schedule);
  if (!expr.ok()) return expr.status();
  schedule::SchedulerOptions sched_opts;
  sched_opts.run_at_start = config.run_at_start;
  sched_opts.event = config.event;
  IngestJob* job = impl->ingest.get();
  impl->scheduler = std::make_unique<schedule::Scheduler>(
      clock, *expr, [job](const std::string& event) { return job->RunOnce(event); }, sched_opts);
  // 4. Admin server last, so /v1/status sees a complete pipeline.
  RETURN_IF_ERROR(impl->StartAdmin());
  if (!impl->aws) {
    server::ApiServerOptions ao;
    ao.data_dir = dir;
    server::ApiServerEnv ae;
    ae.fs = &fs;
    ae.clock = &clock;
    ae.store = impl->store.get();
    ae.metrics = &metrics;
    ae.scorer = impl->scorer.get();
    Impl* raw = impl.get();
    ae.pipeline_status = [raw] {
      auto report = CollectStatus(raw->fs, raw->clock, raw->config.data_dir, raw->config.stream);
      return report.ok() ? report->json : "{\"error\":\"" + report.status().message() + "\"}";
    };
    impl->api = std::make_unique<server::ApiServer>(ao, ae);
    auto bound = BindWithFallback("serve", config.serve_listen, kDefaultServeListen,
                                  [&](const std::string& h, int p) { return impl->api->Start(h, p); });
    if (!bound.ok()) return bound.status();
    std::string host;
    int port = 0;
    RETURN_IF_ERROR(ParseListenAddress(config.serve_listen, &host, &port));
    log::Info("run.serve_listening", {{"url", "http://" + host + ":" + std::to_string(impl->api->port())}});
  }
  RETURN_IF_ERROR(WriteRunState(fs, dir, impl->Snapshot(true)));
  log::Info("run.started", {{"data_dir", dir},
                            {"backend", config.backend},
                            {"source", impl->source_url},
                            {"schedule", expr->text()},
                            {"admin", "http://127.0.0.1:" + std::to_string(impl->admin->port())}});
  return std::unique_ptr<PipelineRunner>(new PipelineRunner(std::move(impl)));
}

Status PipelineRunner::Run(StopSignal& stop) {
  Impl& m = *impl_;
  StopSignal deliveries_stop, workers_stop;
  std::vector<Status> delivery_results(m.deliveries.size());
  std::vector<std::thread> delivery_threads;
  for (size_t i = 0; i < m.deliveries.size(); ++i) {
    delivery_threads.emplace_back([&, i] { delivery_results[i] = m.deliveries[i]->Run(deliveries_stop); });
  }
  std::thread scheduler_thread([&] { m.scheduler->Run(stop); });
  Status scorer_result;
  std::thread scorer_thread;
  if (m.scorer) scorer_thread = std::thread([&] { scorer_result = m.scorer->Run(deliveries_stop); });
  std::thread table_thread([&] {
    while (!m.clock.SleepFor(std::chrono::duration_cast<std::chrono::milliseconds>(m.config.table_sync_interval),
                             &workers_stop)) {
      m.SyncTable().IgnoreError();  // counted and logged; the next interval retries
    }
  });
  std::thread status_thread([&] {
    int tick = 0;
    do {
      WriteRunState(m.fs, m.config.data_dir, m.Snapshot(true)).IgnoreError();
      if (tick++ % 5 == 0) m.PublishGauges();
    } while (!m.clock.SleepFor(std::chrono::milliseconds(1000), &workers_stop));
  });

  // Wait for a stop request or the end of --for.
  if (m.config.run_for) {
    if (!m.clock.SleepFor(*m.config.run_for, &stop)) {
      log::Info("run.duration_elapsed", {{"for", static_cast<long long>(m.config.run_for->count())}});
      stop.RequestStop();
    }
  } else {
    while (!stop.WaitFor(std::chrono::seconds(1))) {
    }
  }
  log::Info("run.stopping", {});
  // 1. No more ingest.
  scheduler_thread.join();
  // 2. Deliveries flush their buffers, then drain what ingest put last.
  deliveries_stop.RequestStop();
  for (auto& t : delivery_threads) t.join();
  if (scorer_thread.joinable()) scorer_thread.join();
  Status first;
  for (size_t i = 0; i < m.deliveries.size(); ++i) {
    Status st = delivery_results[i].ok() ? m.deliveries[i]->Drain() : delivery_results[i];
    if (!st.ok()) {
      log::Error("run.delivery_shutdown_failed", {{"delivery", m.deliveries[i]->config().name}, {"reason", st.ToString()}});
      if (first.ok()) first = st;
    }
  }
  if (m.scorer) {
    Status st = scorer_result.ok() ? m.scorer->Drain() : scorer_result;
    if (!st.ok()) {
      log::Error("run.scorer_shutdown_failed", {{"reason", st.ToString()}});
      if (first.ok()) first = st;
    }
  }
  // 3. Last table sync, final status, servers down.
  workers_stop.RequestStop();
  table_thread.join();
  status_thread.join();
  m.SyncTable().IgnoreError();
  Status ws = WriteRunState(m.fs, m.config.data_dir, m.Snapshot(false));
  if (first.ok() && !ws.ok()) first = ws;
  IngestStats in = m.ingest->stats();
  // Close the client's keep-alive connection before stopping the built-in server, which would otherwise wait
  // for that idle connection to time out.
  m.scheduler.reset();
  m.ingest.reset();
  m.source.reset();
  m.admin->Stop();
  if (m.api) m.api->Stop();
  if (m.punkapi) m.punkapi->Stop();
  log::Info("run.stopped", {{"ingested", static_cast<unsigned long long>(in.ingested)},
                            {"runs", static_cast<unsigned long long>(in.runs)}});
  return first;
}

}  // namespace brewline::pipeline
