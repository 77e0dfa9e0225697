// brewline punkapi serve|fetch: the built-in Punk API v2 server and a one-shot client.
#include <csignal>
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "common/duration.h"
#include "common/file_system.h"
#include "common/log.h"
#include "punkapi/client.h"
#include "punkapi/dataset.h"
#include "punkapi/server.h"

namespace brewline::cli {

namespace {

struct ServeArgs {
  std::string data;
  std::string listen = "127.0.0.1:8333";
  int64_t rate_limit = 3600;
  size_t threads = 8;
};

struct FetchArgs {
  std::string url = punkapi::kDefaultPunkApiUrl;
  std::string timeout = "8s";
  std::string deadline = "30s";
  int attempts = 3;
};

int RunServe(const ServeArgs& args) {
  size_t colon = args.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return UsageError("--listen must be HOST:PORT, got '" + args.listen + "'");
  std::string host = args.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(args.listen.substr(colon + 1), &used);
    if (used != args.listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) return UsageError("--listen port must be 0..65535, got '" + args.listen + "'");
  if (args.rate_limit < 0) return UsageError("--rate-limit must be >= 0 (0 disables it)");

  FileSystem& fs = PosixFileSystem::Get();
  std::string path = args.data;
  if (path.empty()) {
    auto found = punkapi::FindDefaultDatasetPath(fs);
    if (!found.ok()) return ReportError(found.status());
    path = *found;
  }
  auto dataset = punkapi::Dataset::Load(fs, path);
  if (!dataset.ok()) return ReportError(dataset.status());
  auto shared = std::make_shared<const punkapi::Dataset>(std::move(dataset).value());

  // Block the stop signals before any thread starts so that only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  punkapi::ServerOptions options;
  options.rate_limit = args.rate_limit;
  options.threads = args.threads;
  punkapi::Server server(shared, options);
  Status started = server.Start(host, port);
  if (!started.ok()) return ReportError(started);
  const std::string url = "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                          std::to_string(server.port());
  log::Info("punkapi_listening", {{"url", url + "/v2/beers/random"},
                                  {"beers", shared->size()},
                                  {"data", path},
                                  {"rate_limit", args.rate_limit == 0 ? std::string("off")
                                                                      : std::to_string(args.rate_limit) + "/h"}});
  int sig = 0;
  sigwait(&stop_signals, &sig);
  log::Info("punkapi_stopping", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  server.Stop();
  return kExitOk;
}

int RunFetch(const FetchArgs& args) {
  auto timeout = ParseDuration(args.timeout);
  if (!timeout.ok()) return UsageError("--timeout: " + timeout.status().message());
  auto deadline = ParseDuration(args.deadline);
  if (!deadline.ok()) return UsageError("--deadline: " + deadline.status().message());
  if (args.attempts < 1) return UsageError("--attempts must be >= 1");
  punkapi::ClientOptions options;
  options.url = args.url;
  options.request_timeout = *timeout;
  options.deadline = *deadline;
  options.backoff.max_attempts = args.attempts;
  std::string random_url, beers_url;
  Status url_ok = punkapi::ResolvePunkApiUrl(args.url, &random_url, &beers_url);
  if (!url_ok.ok()) return UsageError(url_ok.message());
  punkapi::Client client(options);
  auto beer = client.FetchRandom();
  if (!beer.ok()) return ReportError(beer.status());
  std::string out = beer->json + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

void RegisterPunkApiCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* punk = app.add_subcommand("punkapi", "the built-in Punk API v2 server and a client");
  punk->require_subcommand(1);

  auto serve_args = std::make_shared<ServeArgs>();
  CLI::App* serve = punk->add_subcommand("serve", "serve the Punk API v2 over the punkapi-db dataset until SIGINT/SIGTERM");
  serve->add_option("--data", serve_args->data, "punkapi-db data.json (default: the installed dataset)");
  serve->add_option("--listen", serve_args->listen, "HOST:PORT to bind (port 0 = any free port)")->capture_default_str();
  serve->add_option("--rate-limit", serve_args->rate_limit, "requests per hour per client IP; 0 = off")
      ->capture_default_str();
  serve->add_option("--threads", serve_args->threads, "worker threads")->capture_default_str()->check(CLI::Range(1, 256));
  serve->callback([serve_args, &ctx] { ctx.exit_code = RunServe(*serve_args); });

  auto fetch_args = std::make_shared<FetchArgs>();
  CLI::App* fetch = punk->add_subcommand("fetch", "print one random beer's JSON object");
  fetch->add_option("--url", fetch_args->url,
                    "full …/beers/random URL, or a base to which /v2/beers/random is appended")
      ->capture_default_str();
  fetch->add_option("--timeout", fetch_args->timeout, "per-attempt timeout")->capture_default_str();
  fetch->add_option("--deadline", fetch_args->deadline, "give up after this long, retries included")
      ->capture_default_str();
  fetch->add_option("--attempts", fetch_args->attempts, "attempts in total")->capture_default_str();
  fetch->callback([fetch_args, &ctx] { ctx.exit_code = RunFetch(*fetch_args); });
}

}  // namespace brewline::cli
