// `brewline serve`: the prediction API and the dashboard over a data dir (server/api_server.h). The scorer
// itself runs inside `brewline run` (which also starts this API); `serve` alone answers predictions with the
// latest model and shows whatever the data dir holds.
#include <csignal>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/log.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/status_report.h"
#include "server/api_server.h"
#include "store/fs_object_store.h"

namespace brewline::cli {
namespace {

struct ServeOptions {
  std::string data_dir;
  std::string listen = server::kDefaultServeListen;
  size_t max_body_bytes = 1024 * 1024;
  size_t max_batch = 1000;
  size_t threads = server::ApiServerOptions{}.threads;
};

int RunServe(const ServeOptions& o) {
  std::string host;
  int port = 0;
  if (Status st = pipeline::ParseListenAddress(o.listen, &host, &port); !st.ok()) {
    return UsageError("--listen: " + st.message());
  }
  if (o.max_body_bytes < 1024) return UsageError("--max-body-bytes must be at least 1024");
  if (o.max_batch < 1) return UsageError("--max-batch must be at least 1");
  // Only the sigwait below receives SIGINT/SIGTERM: block them before any thread starts.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  FileSystem& fs = PosixFileSystem::Get();
  Clock& clock = SystemClock::Get();
  store::FsObjectStore store(fs, store::BucketsDir(o.data_dir));
  server::ApiServerOptions opts;
  opts.data_dir = o.data_dir;
  opts.max_body_bytes = o.max_body_bytes;
  opts.max_batch = o.max_batch;
  opts.threads = o.threads;
  server::ApiServerEnv env;
  env.fs = &fs;
  env.clock = &clock;
  env.store = &store;
  const std::string data_dir = o.data_dir;
  env.pipeline_status = [&fs, &clock, data_dir] {
    auto report = pipeline::CollectStatus(fs, clock, data_dir);
    return report.ok() ? report->json : "{\"pipeline_error\":\"" + report.status().message() + "\"}";
  };
  server::ApiServer api(opts, env);
  if (Status st = api.Start(host, port); !st.ok()) return ReportError(st);
  const std::string url = "http://" + host + ":" + std::to_string(api.port());
  log::Info("serve.listening", {{"url", url}, {"data_dir", o.data_dir}});
  std::printf("serving %s (dashboard at %s/)\n", url.c_str(), url.c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::Info("serve.stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  api.Stop();
  return kExitOk;
}

}  // namespace

void RegisterServeCommands(CLI::App& app, CliContext& ctx) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand(
      "serve", "serve POST /v1/predict, /v1/status, /v1/buckets/{bucket}, /metrics and the dashboard at /");
  AddDataDirOption(serve, &o->data_dir);
  serve->add_option("--listen", o->listen, "HOST:PORT to listen on (127.0.0.1 unless told otherwise; port 0 = any)")
      ->capture_default_str();
  serve->add_option("--max-body-bytes", o->max_body_bytes, "largest request body accepted (413 above)")
      ->capture_default_str();
  serve->add_option("--max-batch", o->max_batch, "most beers in one /v1/predict batch")->capture_default_str();
  serve->add_option("--threads", o->threads, "worker threads = keep-alive connections served at once")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  serve->callback([o, &ctx] { ctx.exit_code = RunServe(*o); });
}

}  // namespace brewline::cli
