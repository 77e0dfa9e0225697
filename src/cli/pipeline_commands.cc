// `brewline run | ingest | status | config show`: the pipeline as a user starts and watches it.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "aws/credentials.h"
#include "cli/commands.h"
#include "common/clock.h"
#include "common/duration.h"
#include "common/file_system.h"
#include "common/log.h"
#include "common/uuid.h"
#include "pipeline/aws_status.h"
#include "pipeline/ingest_job.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/pipeline_runner.h"
#include "pipeline/punkapi_source.h"
#include "pipeline/status_report.h"
#include "punkapi/dataset.h"
#include "punkapi/server.h"
#include "schedule/scheduled_event.h"
#include "stream/local_stream.h"

namespace brewline::cli {
namespace {

using pipeline::PipelineConfig;

// Flags of `run` and `config show` (`status` takes the backend subset); each overrides the config file only when given.
struct RunFlags {
  std::string data_dir;
  std::string config_file;
  std::string source, punkapi_listen, admin_listen, schedule, every, run_for, buffer_interval, poll_interval,
      table_sync_interval, source_timeout, serve_listen, backend, stream, endpoint_url, region, profile,
      raw_bucket, cleaned_bucket;
  int buffer_size_mb = 0;
  bool no_table = false;
  bool no_run_at_start = false;
  CLI::Option* data_dir_opt = nullptr;
};

// Where the data is: shared by `run`, `config show` and `status`.
void AddBackendFlags(CLI::App* app, RunFlags* f) {
  f->data_dir_opt = AddDataDirOption(app, &f->data_dir);
  app->add_option("--config", f->config_file, "TOML file with any of these options (flags override it)");
  app->add_option("--backend", f->backend, "where the stream and buckets live: local (files in the data dir) or aws (Kinesis + S3)")
      ->check(CLI::IsMember({"local", "aws"}));
  app->add_option("--stream", f->stream, "stream name (default beers; the Kinesis stream with --backend aws)");
  app->add_option("--endpoint-url", f->endpoint_url, "aws: endpoint for Kinesis and S3 (default AWS_ENDPOINT_URL[_KINESIS|_S3], else AWS's)");
  app->add_option("--region", f->region, "aws: region (default AWS_REGION / AWS_DEFAULT_REGION / the profile's)");
  app->add_option("--profile", f->profile, "aws: credentials profile (default AWS_PROFILE, else default)");
  app->add_option("--raw-bucket", f->raw_bucket, "aws: S3 bucket of the raw delivery (default raw)");
  app->add_option("--cleaned-bucket", f->cleaned_bucket, "aws: S3 bucket of the cleaned delivery (default cleaned)");
}

void AddRunFlags(CLI::App* app, RunFlags* f) {
  AddBackendFlags(app, f);
  app->add_option("--source", f->source, "Punk API v2 URL to ingest from (default: the built-in server)");
  app->add_option("--source-timeout", f->source_timeout, "timeout of one HTTP attempt to the source (default 8s)");
  app->add_option("--punkapi-listen", f->punkapi_listen, "built-in Punk API server address (default 127.0.0.1:8333)");
  app->add_option("--admin-listen", f->admin_listen, "admin HTTP address: /metrics /healthz /v1/status (default 127.0.0.1:9333)");
  app->add_option("--serve-listen", f->serve_listen, "prediction API address: /v1/predict and the dashboard (default 127.0.0.1:8080)");
  app->add_option("--schedule", f->schedule, "EventBridge expression (default 'rate(5 minutes)')");
  app->add_option("--every", f->every, "fixed period instead of --schedule, e.g. 5s or 200ms");
  app->add_option("--for", f->run_for, "stop cleanly after this long, e.g. 50s (flushes every buffer)");
  app->add_flag("--no-run-at-start", f->no_run_at_start, "do not ingest once at start-up");
  app->add_option("--buffer-interval", f->buffer_interval, "deliveries' buffering interval, whole seconds 0s-900s (default 5m)");
  app->add_option("--buffer-size-mb", f->buffer_size_mb, "deliveries' buffering size, 1-128 MiB (default 5)");
  app->add_option("--poll-interval", f->poll_interval, "deliveries' wait between idle polls of the stream (default 1s)");
  app->add_option("--table-sync-interval", f->table_sync_interval, "how often the cleaned table syncs (default 30s)");
  app->add_flag("--no-table", f->no_table, "do not keep the cleaned table");
}

Status DurationFlag(const std::string& name, const std::string& text, std::chrono::milliseconds* out) {
  if (text.empty()) return Status::OK();
  auto d = ParseDuration(text);
  if (!d.ok()) return InvalidArgument(name + ": " + d.status().message());
  *out = *d;
  return Status::OK();
}

// Defaults ← config file ← flags. Errors are usage errors.
Status BuildConfig(const RunFlags& f, PipelineConfig* c) {
  if (!f.config_file.empty()) RETURN_IF_ERROR(pipeline::LoadPipelineConfigFile(f.config_file, c));
  if (f.data_dir_opt->count() > 0 || f.config_file.empty() || c->data_dir == PipelineConfig{}.data_dir) {
    c->data_dir = f.data_dir;
  }
  if (!f.source.empty()) c->source = f.source;
  if (!f.punkapi_listen.empty()) c->punkapi_listen = f.punkapi_listen;
  if (!f.admin_listen.empty()) c->admin_listen = f.admin_listen;
  if (!f.serve_listen.empty()) c->serve_listen = f.serve_listen;
  if (!f.backend.empty()) c->backend = f.backend;
  if (!f.stream.empty()) c->stream = f.stream;
  if (!f.endpoint_url.empty()) c->aws.endpoint_url = f.endpoint_url;
  if (!f.region.empty()) c->aws.region = f.region;
  if (!f.profile.empty()) c->aws.profile = f.profile;
  if (!f.raw_bucket.empty()) c->aws.raw_bucket = f.raw_bucket;
  if (!f.cleaned_bucket.empty()) c->aws.cleaned_bucket = f.cleaned_bucket;
  if (!f.schedule.empty()) {
    c->schedule = f.schedule;
    c->every.reset();
  }
  if (!f.every.empty()) {
    std::chrono::milliseconds d{0};
    RETURN_IF_ERROR(DurationFlag("--every", f.every, &d));
    c->every = d;
  }
  if (!f.run_for.empty()) {
    std::chrono::milliseconds d{0};
    RETURN_IF_ERROR(DurationFlag("--for", f.run_for, &d));
    c->run_for = d;
  }
  if (f.no_run_at_start) c->run_at_start = false;
  RETURN_IF_ERROR(DurationFlag("--source-timeout", f.source_timeout, &c->source_timeout));
  RETURN_IF_ERROR(DurationFlag("--buffer-interval", f.buffer_interval, &c->buffer_interval));
  RETURN_IF_ERROR(DurationFlag("--poll-interval", f.poll_interval, &c->poll_interval));
  RETURN_IF_ERROR(DurationFlag("--table-sync-interval", f.table_sync_interval, &c->table_sync_interval));
  if (f.buffer_size_mb != 0) c->buffer_size_mb = f.buffer_size_mb;
  if (f.no_table) c->table_enabled = false;
  return pipeline::ValidatePipelineConfig(*c);
}

int RunPipeline(const RunFlags& flags) {
  PipelineConfig config;
  Status st = BuildConfig(flags, &config);
  if (!st.ok()) return UsageError(st.message());
  // SIGINT/SIGTERM are handled by a watcher thread (sigwait), so every thread started from here on has them
  // blocked and a signal can never interrupt a write half-way.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  auto runner = pipeline::PipelineRunner::Start(config, PosixFileSystem::Get(), SystemClock::Get());
  if (!runner.ok()) return ReportError(runner.status());
  std::string into = config.data_dir;
  if (config.backend == "aws") {
    into = "Kinesis stream " + config.stream + " and S3 buckets " + config.aws.raw_bucket + ", " +
           config.aws.cleaned_bucket + " (state in " + config.data_dir + ")";
  }
  std::fprintf(stderr, "brewline run: ingesting from %s into %s (admin %s); Ctrl-C stops cleanly\n",
               (*runner)->source_url().c_str(), into.c_str(), (*runner)->admin_url().c_str());
  StopSignal stop;
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    int signals = 0;
    timespec tick{0, 100 * 1000 * 1000};
    while (!done.load()) {
      int sig = sigtimedwait(&sigs, nullptr, &tick);
      if (sig <= 0) continue;
      if (++signals == 1) {
        log::Info("run.signal", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}, {"action", "flush and stop"}});
        stop.RequestStop();
      } else {
        log::Error("run.signal", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}, {"action", "exit now"}});
        std::_Exit(130);
      }
    }
  });
  Status result = (*runner)->Run(stop);
  done = true;
  watcher.join();
  runner->reset();
  if (!result.ok()) return ReportError(result);
  return kExitOk;
}

// The source for `ingest`: --source, or the built-in dataset served on an ephemeral port for the command's life.
struct IngestSource {
  std::unique_ptr<punkapi::Server> server;
  std::string url;
};

Status OpenIngestSource(const std::string& source, IngestSource* out) {
  if (!source.empty()) {
    out->url = source;
    return Status::OK();
  }
  FileSystem& fs = PosixFileSystem::Get();
  ASSIGN_OR_RETURN(std::string path, punkapi::FindDefaultDatasetPath(fs));
  ASSIGN_OR_RETURN(punkapi::Dataset dataset, punkapi::Dataset::Load(fs, path));
  punkapi::ServerOptions opts;
  opts.rate_limit = 0;
  out->server = std::make_unique<punkapi::Server>(std::make_shared<const punkapi::Dataset>(std::move(dataset)), opts);
  RETURN_IF_ERROR(out->server->Start("127.0.0.1", 0));
  out->url = "http://127.0.0.1:" + std::to_string(out->server->port());
  return Status::OK();
}

struct IngestFlags {
  std::string data_dir, source, stream = "beers";
  bool once = false, all = false;
};

int RunIngest(const IngestFlags& f) {
  if (f.once == f.all) return UsageError("ingest: give exactly one of --once or --all");
  IngestSource src;
  Status st = OpenIngestSource(f.source, &src);
  if (!st.ok()) return ReportError(st);
  FileSystem& fs = PosixFileSystem::Get();
  Clock& clock = SystemClock::Get();
  auto stream = stream::LocalStream::OpenOrCreate(fs, clock, f.data_dir, f.stream, stream::StreamOptions{});
  if (!stream.ok()) return ReportError(stream.status());
  punkapi::ClientOptions copts;
  copts.url = src.url;
  pipeline::PunkApiSource source(copts, clock);
  pipeline::IngestJob job(source, **stream, clock);
  if (f.once) {
    schedule::ScheduledEventOptions ev;
    ev.rule_name = "brewline-ingest-manual";
    Status r = job.RunOnce(schedule::BuildScheduledEvent(ev, clock.NowMillis(), NewUuid()));
    if (!r.ok()) return ReportError(r);
    std::printf("%s\n", job.stats().last_result.c_str());
    return kExitOk;
  }
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  const uint64_t expected = src.server ? 325 : 0;  // the built-in punkapi-db catalogue; unknown for a URL
  auto done = job.Backfill([&](const pipeline::BackfillStats& s) {
    std::string bar;
    if (expected > 0) {
      const int width = 30;
      int filled = static_cast<int>(std::min<uint64_t>(width, (s.beers + s.invalid) * width / expected));
      bar = "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.') + "] ";
    }
    std::fprintf(stderr, "%sbackfill %spage %d, %llu beers put, %llu invalid%s", tty ? "\r" : "", bar.c_str(), s.pages,
                 static_cast<unsigned long long>(s.beers), static_cast<unsigned long long>(s.invalid), tty ? "" : "\n");
  });
  if (tty) std::fputc('\n', stderr);
  if (!done.ok()) return ReportError(done.status());
  std::printf("backfilled %llu beers from %s in %d pages (%llu invalid skipped) into stream %s\n",
              static_cast<unsigned long long>(done->beers), src.url.c_str(), done->pages,
              static_cast<unsigned long long>(done->invalid), f.stream.c_str());
  return kExitOk;
}

// Local: everything from the data dir, which must exist. AWS: the stream and buckets from AWS, the rest from
// the data dir (which may be missing); the report is printed even when an AWS call failed, then that first
// failure is the one error line and the exit code is 1 (pipeline/aws_status.h).
int RunStatus(const RunFlags& flags, bool json) {
  PipelineConfig config;
  Status st = BuildConfig(flags, &config);
  if (!st.ok()) return UsageError(st.message());
  FileSystem& fs = PosixFileSystem::Get();
  if (config.backend == "aws") {
    auto got = pipeline::CollectAwsStatus(config, aws::ProcessEnv(), fs, SystemClock::Get());
    if (!got.ok()) return ReportError(got.status());
    std::fputs(json ? got->report.json.c_str() : got->report.text.c_str(), stdout);
    std::fflush(stdout);
    return got->error.ok() ? kExitOk : ReportError(got->error);
  }
  if (!fs.IsDirectory(config.data_dir)) {
    return ReportError(NotFound("data dir " + config.data_dir + " does not exist (start one with `brewline run`)"));
  }
  auto report = pipeline::CollectStatus(fs, SystemClock::Get(), config.data_dir, config.stream);
  if (!report.ok()) return ReportError(report.status());
  std::fputs(json ? report->json.c_str() : report->text.c_str(), stdout);
  return kExitOk;
}

}  // namespace

void RegisterPipelineCommands(CLI::App& app, CliContext& ctx) {
  auto run_flags = std::make_shared<RunFlags>();
  CLI::App* run = app.add_subcommand(
      "run", "run the whole pipeline: Punk API → schedule → ingest → stream → deliveries raw/cleaned → table");
  AddRunFlags(run, run_flags.get());
  run->callback([run_flags, &ctx] { ctx.exit_code = RunPipeline(*run_flags); });

  auto ingest_flags = std::make_shared<IngestFlags>();
  CLI::App* ingest = app.add_subcommand("ingest", "put beers on the stream by hand: one tick (--once) or the whole catalogue (--all)");
  AddDataDirOption(ingest, &ingest_flags->data_dir);
  ingest->add_flag("--once", ingest_flags->once, "fetch one random beer and put it, as one scheduled tick does");
  ingest->add_flag("--all", ingest_flags->all, "backfill the whole catalogue, paging /v2/beers 80 at a time");
  ingest->add_option("--source", ingest_flags->source, "Punk API v2 URL (default: the built-in dataset)");
  ingest->add_option("--stream", ingest_flags->stream, "stream name")->capture_default_str();
  ingest->callback([ingest_flags, &ctx] { ctx.exit_code = RunIngest(*ingest_flags); });

  auto status_flags = std::make_shared<RunFlags>();
  auto status_json = std::make_shared<bool>(false);
  CLI::App* status = app.add_subcommand(
      "status", "what the pipeline holds and is doing (running or not): the data dir, and with --backend aws "
                "the Kinesis stream, consumer lag and S3 buckets");
  AddBackendFlags(status, status_flags.get());
  status->add_flag("--json", *status_json, "print JSON");
  status->callback([=, &ctx] { ctx.exit_code = RunStatus(*status_flags, *status_json); });

  CLI::App* config = app.add_subcommand("config", "the pipeline's configuration");
  config->require_subcommand(1);
  auto show_flags = std::make_shared<RunFlags>();
  CLI::App* show = config->add_subcommand("show", "print the effective `run` configuration as TOML");
  AddRunFlags(show, show_flags.get());
  show->callback([show_flags, &ctx] {
    PipelineConfig c;
    Status st = BuildConfig(*show_flags, &c);
    if (!st.ok()) {
      ctx.exit_code = UsageError(st.message());
      return;
    }
    std::fputs(pipeline::PipelineConfigToToml(c).c_str(), stdout);
  });
}

}  // namespace brewline::cli
