#include "pipeline/status_report.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/time_util.h"
#include "delivery/delivery_state.h"
#include "pipeline/run_state.h"
#include "server/scorer.h"
#include "store/fs_object_store.h"
#include "stream/checkpoint_store.h"
#include "stream/local_stream.h"
#include "table/cleaned_table.h"

namespace brewline::pipeline {
namespace {

using Json = nlohmann::ordered_json;

std::string When(int64_t ms) { return ms > 0 ? FormatIso8601(ms) : "never"; }

// The oldest record after `after` (TRIM_HORIZON when empty): its arrival time, or 0 when there is none.
int64_t OldestUnprocessedArrival(stream::Stream& s, const std::string& shard, const std::string& after) {
  stream::IteratorRequest req;
  req.shard_id = shard;
  req.type = after.empty() ? stream::IteratorType::kTrimHorizon : stream::IteratorType::kAfterSequenceNumber;
  req.sequence_number = after;
  auto it = s.GetShardIterator(req);
  if (!it.ok()) return 0;
  auto got = s.GetRecords(*it, 1);
  if (!got.ok() || got->records.empty()) return 0;
  return got->records[0].approximate_arrival_ms;
}

}  // namespace

std::string FormatByteCount(uint64_t n) {
  char buf[32];
  if (n < 1024) std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  else if (n < 1024 * 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", n / 1024.0);
  else std::snprintf(buf, sizeof buf, "%.1f MiB", n / (1024.0 * 1024.0));
  return buf;
}

Result<StatusReport> CollectStatus(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                   const std::string& stream_name, const RemoteSections* remote) {
  StatusReport report;
  Json j;
  std::string t;
  j["data_dir"] = data_dir;
  j["time"] = FormatIso8601(clock.NowMillis());
  if (remote) {
    j["backend"] = remote->backend;
    t += remote->backend_text;
  }
  // Run.
  auto run = ReadRunState(fs, data_dir);
  Json jr;
  if (run.ok()) {
    const bool alive = run->running && ProcessAlive(run->pid);
    jr["state"] = alive ? "running" : (run->running ? "crashed" : "stopped");
    jr["pid"] = run->pid;
    jr["started"] = When(run->started_ms);
    jr["updated"] = When(run->updated_ms);
    jr["schedule"] = run->schedule;
    jr["source"] = run->source;
    jr["admin_url"] = run->admin_url;
    jr["next_fire"] = alive ? When(run->next_fire_ms) : "";
    jr["last_ingest"] = When(run->last_ingest_ms);
    jr["last_ingest_ok"] = run->last_ingest_ok;
    jr["last_ingest_result"] = run->last_ingest_result;
    jr["ingest_runs"] = run->ingest_runs;
    jr["ingested"] = run->ingested;
    jr["catch_ups"] = run->catch_ups;
    t += "run: " + jr["state"].get<std::string>() + " (pid " + std::to_string(run->pid) + ", schedule " +
         run->schedule + ", source " + run->source + ")\n";
    if (alive) t += "  admin " + run->admin_url + ", next ingest " + When(run->next_fire_ms) + "\n";
    t += "  last ingest: " + When(run->last_ingest_ms) + " " + run->last_ingest_result + "\n";
    t += "  ingested " + std::to_string(run->ingested) + " in " + std::to_string(run->ingest_runs) + " runs\n";
  } else {
    jr["state"] = "never";
    t += "run: no run recorded in this data dir\n";
  }
  j["run"] = jr;
  // Errors, filled as we go.
  Json errors;
  if (run.ok()) {
    errors["ingest_fetch_failures"] = run->fetch_failures;
    errors["ingest_invalid"] = run->invalid;
    errors["ingest_put_failures"] = run->put_failures;
    errors["ingest_bad_events"] = run->bad_events;
    errors["table_sync_failures"] = run->table_sync_failures;
  }

  // Stream and consumers.
  Json js;
  std::unique_ptr<stream::LocalStream> stream;
  if (!remote && fs.Exists(stream::StreamDir(data_dir, stream_name))) {
    auto opened = stream::LocalStream::Open(fs, clock, data_dir, stream_name);
    if (opened.ok()) stream = std::move(*opened);
  }
  if (remote) {
    js = remote->stream;
    t += remote->stream_text;
  } else if (stream) {
    auto stats = stream->Stats();
    if (!stats.ok()) return stats.status().WithContext("stream " + stream_name);
    t += "stream " + stream_name + ":\n";
    Json shards = Json::array();
    for (const auto& s : *stats) {
      shards.push_back({{"shard_id", s.shard_id},
                        {"records", s.record_count},
                        {"bytes", s.bytes},
                        {"latest_arrival", When(s.latest_arrival_ms)}});
      t += "  " + s.shard_id + ": " + std::to_string(s.record_count) + " records, " + FormatByteCount(s.bytes) +
           "\n";
    }
    js["name"] = stream_name;
    js["shards"] = shards;
    // Throttling happens inside the process that opened the stream: the run publishes what its limits refused.
    if (run.ok() && !run->stream_limits.empty()) {
      js["limits"] = run->stream_limits;
      js["throttled"] = {{"records_put", run->stream_write_throttled},
                         {"get_records_calls", run->stream_read_throttled}};
      t += "  limits: " + run->stream_limits + " per shard; refused by the run so far: " +
           std::to_string(run->stream_write_throttled) + " records put, " +
           std::to_string(run->stream_read_throttled) + " GetRecords calls (retried)\n";
    }
  } else {
    js["name"] = stream_name;
    js["shards"] = Json::array();
    t += "stream " + stream_name + ": not created yet\n";
  }
  j["stream"] = js;

  // Deliveries (their checkpoints are consumer positions on the stream).
  Json jd = Json::array();
  std::vector<std::string> deliveries;
  const std::string delivery_root = JoinPath(data_dir, "delivery");
  if (fs.IsDirectory(delivery_root)) {
    auto names = fs.ListDir(delivery_root);
    if (names.ok()) deliveries = *names;
  }
  auto add_lag = [&](const std::string& consumer, const std::string& kind, const std::string& shard,
                     const std::string& checkpoint) {
    ConsumerLag lag = NewLag(consumer, kind, shard);
    auto behind = stream->RecordsAfter(shard, checkpoint);
    if (behind.ok()) lag.records_behind = *behind;
    if (lag.records_behind > 0) {
      int64_t oldest = OldestUnprocessedArrival(*stream, shard, checkpoint);
      if (oldest > 0) lag.ms_behind = std::max<int64_t>(0, clock.NowMillis() - oldest);
    }
    report.lags.push_back(lag);
  };
  if (!deliveries.empty()) t += "deliveries:\n";
  uint64_t delivery_failed = 0, store_failures = 0, invocation_failures = 0;
  for (const std::string& name : deliveries) {
    if (!fs.IsDirectory(delivery::DeliveryStateDir(data_dir, name))) continue;
    Json d;
    d["name"] = name;
    auto st = delivery::ReadDeliveryStats(fs, data_dir, name);
    if (st.ok()) {
      d["buffered_bytes"] = st->buffered_bytes;
      d["buffered_records"] = st->buffered_records;
      d["delivered_records"] = st->delivered_records;
      d["delivered_objects"] = st->delivered_objects;
      d["delivered_bytes"] = st->delivered_bytes;
      d["failed_records"] = st->failed_records;
      d["last_flush"] = When(st->last_flush_ms);
      delivery_failed += st->failed_records;
      store_failures += st->store_failures;
      invocation_failures += st->invocation_failures;
      t += "  " + name + ": buffered " + FormatByteCount(st->buffered_bytes) + " (" +
           std::to_string(st->buffered_records) + " records), delivered " + std::to_string(st->delivered_records) +
           " records in " + std::to_string(st->delivered_objects) + " objects (" +
           FormatByteCount(st->delivered_bytes) + "), failed " + std::to_string(st->failed_records) +
           ", last flush " + When(st->last_flush_ms) + "\n";
    } else {
      t += "  " + name + ": no statistics yet\n";
    }
    auto state = delivery::LoadDeliveryState(fs, delivery::DeliveryStateDir(data_dir, name));
    if (stream && state.ok()) {
      auto shards = stream->ListShards();
      if (shards.ok()) {
        for (const auto& sh : *shards) {
          auto cp = state->checkpoints.find(sh.shard_id);
          add_lag(name, "delivery", sh.shard_id, cp == state->checkpoints.end() ? "" : cp->second);
        }
      }
    }
    jd.push_back(d);
  }
  j["deliveries"] = jd;
  // The scorer (the `predictions` delivery's model side): waiting for a model, or scoring with version N.
  if (auto sc = server::ReadScorerState(fs, data_dir); sc.ok()) {
    j["scorer"] = {{"state", sc->state}, {"model_version", sc->model_version}, {"message", sc->message}};
    t += "scorer: " + sc->state + (sc->state == "scoring" ? " with model v" + std::to_string(sc->model_version) : "") +
         (sc->message.empty() ? "" : " (" + sc->message + ")") + "\n";
  }
  errors["delivery_failed_records"] = delivery_failed;
  errors["delivery_store_failures"] = store_failures;
  errors["delivery_transform_invocation_failures"] = invocation_failures;

  // Checkpoint-store consumers (e.g. the scorer).
  if (stream) {
    const std::string cp_dir = JoinPath(stream::StreamDir(data_dir, stream_name), "checkpoints");
    auto files = fs.IsDirectory(cp_dir) ? fs.ListDir(cp_dir) : Result<std::vector<std::string>>(std::vector<std::string>{});
    if (files.ok()) {
      stream::LocalCheckpointStore store(fs, data_dir, stream_name);
      for (const std::string& f : *files) {
        if (f.size() <= 5 || f.substr(f.size() - 5) != ".json" || f[0] == '.') continue;
        const std::string consumer = f.substr(0, f.size() - 5);
        auto all = store.GetAll(consumer);
        if (!all.ok()) continue;
        auto shards = stream->ListShards();
        if (!shards.ok()) continue;
        for (const auto& sh : *shards) {
          auto cp = all->find(sh.shard_id);
          add_lag(consumer, "checkpoint", sh.shard_id, cp == all->end() ? "" : cp->second);
        }
      }
    }
  }
  if (remote) report.lags = remote->lags;
  Json jl = Json::array();
  if (!report.lags.empty()) t += "consumer lag:\n";
  for (const auto& l : report.lags) {
    Json e = {{"consumer", l.consumer},
              {"kind", l.kind},
              {"shard_id", l.shard_id},
              {"records_behind", l.records_behind},
              {"ms_behind", l.ms_behind}};
    if (l.records_behind_exact) e["records_behind_exact"] = *l.records_behind_exact;
    if (l.millis_behind_latest) e["millis_behind_latest"] = *l.millis_behind_latest;
    if (!l.error.empty()) e["error"] = l.error;
    jl.push_back(std::move(e));
    t += "  " + l.consumer + " " + l.shard_id + ": ";
    if (!l.error.empty()) {
      t += "unknown (" + l.error + ")\n";
      continue;
    }
    const bool at_least = l.records_behind_exact.has_value() && !*l.records_behind_exact;
    t += (at_least ? "at least " : "") + std::to_string(l.records_behind) + " records, " +
         std::to_string(l.ms_behind) + " ms behind";
    if (l.millis_behind_latest) t += " (Kinesis MillisBehindLatest " + std::to_string(*l.millis_behind_latest) + ")";
    t += "\n";
  }
  if (remote && !remote->lags_note.empty() && !report.lags.empty()) t += remote->lags_note;
  j["consumers"] = jl;

  // Buckets.
  Json jb = Json::array();
  const std::string buckets_dir = store::BucketsDir(data_dir);
  if (remote) {
    jb = remote->buckets;
    t += remote->buckets_text;
  } else if (fs.IsDirectory(buckets_dir)) {
    store::FsObjectStore store(fs, buckets_dir);
    auto names = fs.ListDir(buckets_dir);
    if (names.ok()) {
      t += "buckets:\n";
      for (const std::string& b : *names) {
        if (b.empty() || b[0] == '.' || !fs.IsDirectory(JoinPath(buckets_dir, b))) continue;
        uint64_t objects = 0, bytes = 0;
        store::ListOptions opts;
        for (int guard = 0; guard < 100000; ++guard) {
          auto page = store.List(b, opts);
          if (!page.ok()) break;
          for (const auto& o : page->objects) {
            objects++;
            bytes += o.size;
          }
          if (!page->is_truncated) break;
          opts.continuation_token = page->next_continuation_token;
        }
        jb.push_back({{"name", b}, {"objects", objects}, {"bytes", bytes}});
        t += "  " + b + ": " + std::to_string(objects) + " objects, " + FormatByteCount(bytes) + "\n";
      }
    }
  }
  j["buckets"] = jb;

  // Table, when it exists (opening would create it).
  Json jt;
  if (fs.Exists(table::CleanedTable::DbPath(data_dir))) {
    auto table = table::CleanedTable::Open(fs, clock, data_dir);
    if (table.ok()) {
      auto counts = (*table)->Counts();
      if (counts.ok()) {
        jt["rows"] = counts->rows;
        jt["beers"] = counts->beers;
        jt["objects_loaded"] = counts->objects_loaded;
        jt["rejects"] = counts->rejects;
        jt["last_sync"] = When(counts->last_sync_ms);
        errors["table_rejects"] = counts->rejects;
        t += "table cleaned: " + std::to_string(counts->rows) + " rows (" + std::to_string(counts->beers) +
             " distinct beers), last sync " + When(counts->last_sync_ms);
      }
      // Remote buckets are not listed in full for this figure (they may be large): local backend only.
      if (!remote && fs.IsDirectory(buckets_dir)) {
        store::FsObjectStore store(fs, buckets_dir);
        auto lag = (*table)->Lag(store);
        if (lag.ok()) {
          jt["objects_pending"] = lag->objects_pending;
          jt["bytes_pending"] = lag->bytes_pending;
          t += ", " + std::to_string(lag->objects_pending) + " objects pending";
        }
      }
      t += "\n";
    }
  } else {
    t += "table cleaned: not created yet\n";
  }
  j["table"] = jt.is_null() ? Json::object() : jt;
  j["errors"] = errors;
  t += "errors:";
  for (auto it = errors.begin(); it != errors.end(); ++it) t += " " + it.key() + "=" + it.value().dump();
  t += "\n";
  report.json = j.dump(2) + "\n";
  report.text = std::move(t);
  return report;
}

}  // namespace brewline::pipeline
