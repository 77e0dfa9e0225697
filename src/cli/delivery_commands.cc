// deliver, bucket ls|cat, transform: the delivery subsystem's commands.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/duration.h"
#include "common/file_system.h"
#include "common/time_util.h"
#include "delivery/delivery.h"
#include "common/gzip.h"
#include "delivery/transform.h"
#include "store/fs_object_store.h"
#include "stream/local_stream.h"

namespace brewline::cli {

namespace {

struct DeliverOptions {
  std::string data_dir;
  std::string delivery = "all";
  std::string stream = "beers";
  bool once = false;
  int buffer_size_mib = 5;
  std::string buffer_interval = "300s";
  std::string compression = "none";
  int records_per_poll = 10000;
};

// SIGINT/SIGTERM request a stop: the signals are blocked and a thread waits for them, so the handler is not
// restricted to async-signal-safe calls.
void StopOnSignals(StopSignal* stop) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([set, stop] {
    int sig = 0;
    sigwait(&set, &sig);
    stop->RequestStop();
  }).detach();
}

int RunDeliver(const DeliverOptions& o) {
  std::vector<delivery::DeliveryConfig> configs;
  if (o.delivery == "raw" || o.delivery == "all") configs.push_back(delivery::DefaultRawDelivery());
  if (o.delivery == "cleaned" || o.delivery == "all") configs.push_back(delivery::DefaultCleanedDelivery());
  auto interval = ParseDuration(o.buffer_interval);
  if (!interval.ok()) return UsageError("--buffer-interval: " + interval.status().message());
  delivery::Compression compression;
  if (!delivery::ParseCompression(o.compression, &compression)) return UsageError("--compression must be none or gzip");
  for (auto& c : configs) {
    c.stream = o.stream;
    c.buffer_size_bytes = static_cast<uint64_t>(o.buffer_size_mib) * delivery::kMiB;
    c.buffer_interval = std::chrono::duration_cast<std::chrono::seconds>(*interval);
    c.compression = compression;
    c.max_records_per_poll = o.records_per_poll;
    if (Status s = delivery::ValidateDeliveryConfig(c); !s.ok()) return UsageError(s.message());
  }
  FileSystem& fs = PosixFileSystem::Get();
  Clock& clock = SystemClock::Get();
  StopSignal stop;
  StopOnSignals(&stop);
  auto stream = stream::LocalStream::Open(fs, clock, o.data_dir, o.stream);
  if (!stream.ok()) return ReportError(stream.status());
  store::FsObjectStore store(fs, store::BucketsDir(o.data_dir));
  std::vector<std::unique_ptr<delivery::Delivery>> deliveries;
  for (const auto& c : configs) {
    delivery::DeliveryEnv env;
    env.stream = stream->get();
    env.store = &store;
    env.clock = &clock;
    env.fs = &fs;
    env.data_dir = o.data_dir;
    auto d = delivery::Delivery::Open(c, env);
    if (!d.ok()) return ReportError(d.status());
    deliveries.push_back(std::move(*d));
  }
  // Each delivery in its own thread, as in `brewline run`.
  std::vector<Status> results(deliveries.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < deliveries.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = o.once ? deliveries[i]->Drain(&stop) : deliveries[i]->Run(stop); });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < deliveries.size(); ++i) {
    if (!results[i].ok() && results[i].code() != StatusCode::kCancelled) return ReportError(results[i]);
    auto s = deliveries[i]->stats();
    std::printf("%s: %llu records delivered, %llu failed, %llu objects, %llu bytes (totals)\n", s.name.c_str(),
                static_cast<unsigned long long>(s.delivered_records), static_cast<unsigned long long>(s.failed_records),
                static_cast<unsigned long long>(s.delivered_objects), static_cast<unsigned long long>(s.delivered_bytes));
  }
  return kExitOk;
}

int RunBucketLs(const std::string& data_dir, const std::string& bucket, const std::string& prefix, bool recursive) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  store::ListOptions opts;
  opts.prefix = prefix;
  if (!recursive) opts.delimiter = "/";
  for (;;) {
    auto page = store.List(bucket, opts);
    if (!page.ok()) return ReportError(page.status());
    // Like `aws s3 ls`: folders first as PRE lines, then objects with time, size and key.
    for (const auto& p : page->common_prefixes) std::printf("%30s %s\n", "PRE", p.c_str());
    for (const auto& o : page->objects) {
      std::string when = FormatIso8601(o.last_modified_ms);
      std::printf("%s %10llu %s\n", when.c_str(), static_cast<unsigned long long>(o.size), o.key.c_str());
    }
    if (!page->is_truncated) break;
    opts.continuation_token = page->next_continuation_token;
  }
  return kExitOk;
}

int RunBucketCat(const std::string& data_dir, const std::string& bucket, const std::string& key) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  auto data = store.Get(bucket, key);
  if (!data.ok()) return ReportError(data.status());
  std::string out = std::move(*data);
  if (key.size() > 3 && key.compare(key.size() - 3, 3, ".gz") == 0) {
    auto plain = GzipDecompress(out);
    if (!plain.ok()) return ReportError(plain.status().WithContext(bucket + "/" + key));
    out = std::move(*plain);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunTransform() {
  std::string event((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  auto response = delivery::TransformFirehoseEvent(event);
  if (!response.ok()) return ReportError(response.status());
  std::fwrite(response->data(), 1, response->size(), stdout);
  std::fputc('\n', stdout);
  return kExitOk;
}

}  // namespace

void RegisterDeliveryCommands(CLI::App& app, CliContext& ctx) {
  auto opts = std::make_shared<DeliverOptions>();
  CLI::App* deliver = app.add_subcommand("deliver", "run the delivery streams (stream → buckets raw and cleaned)");
  AddDataDirOption(deliver, &opts->data_dir);
  deliver->add_flag("--once", opts->once, "deliver everything in the stream now, flush, and exit");
  deliver->add_option("--delivery", opts->delivery, "raw|cleaned|all")
      ->check(CLI::IsMember({"raw", "cleaned", "all"}))
      ->capture_default_str();
  deliver->add_option("--stream", opts->stream, "source stream")->capture_default_str();
  deliver->add_option("--buffer-size-mib", opts->buffer_size_mib, "buffering hint SizeInMBs (1-128)")->capture_default_str();
  deliver->add_option("--buffer-interval", opts->buffer_interval, "buffering hint interval (0s-900s)")->capture_default_str();
  deliver->add_option("--compression", opts->compression, "none|gzip")->capture_default_str();
  deliver->add_option("--records-per-poll", opts->records_per_poll, "GetRecords limit per shard (1-10000)")
      ->capture_default_str();
  deliver->callback([opts, &ctx] { ctx.exit_code = RunDeliver(*opts); });

  auto bucket_args = std::make_shared<std::array<std::string, 4>>();  // data dir, bucket, prefix/key, unused
  auto recursive = std::make_shared<bool>(false);
  CLI::App* bucket = app.add_subcommand("bucket", "inspect the object store buckets");
  bucket->require_subcommand(1);
  CLI::App* ls = bucket->add_subcommand("ls", "list objects (folders as PRE unless --recursive)");
  AddDataDirOption(ls, &(*bucket_args)[0]);
  ls->add_option("BUCKET", (*bucket_args)[1], "bucket name")->required();
  ls->add_option("PREFIX", (*bucket_args)[2], "key prefix");
  ls->add_flag("--recursive,-r", *recursive, "list every key under the prefix");
  ls->callback([bucket_args, recursive, &ctx] {
    ctx.exit_code = RunBucketLs((*bucket_args)[0], (*bucket_args)[1], (*bucket_args)[2], *recursive);
  });
  CLI::App* cat = bucket->add_subcommand("cat", "write an object to stdout (.gz objects decompressed)");
  AddDataDirOption(cat, &(*bucket_args)[0]);
  cat->add_option("BUCKET", (*bucket_args)[1], "bucket name")->required();
  cat->add_option("KEY", (*bucket_args)[2], "object key")->required();
  cat->callback([bucket_args, &ctx] { ctx.exit_code = RunBucketCat((*bucket_args)[0], (*bucket_args)[1], (*bucket_args)[2]); });

  CLI::App* transform = app.add_subcommand(
      "transform", "the Firehose transformation handler: a transformation event on stdin, the response on stdout");
  transform->callback([&ctx] { ctx.exit_code = RunTransform(); });
}

}  // namespace brewline::cli
