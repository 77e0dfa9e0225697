// `brewline status`: a snapshot of a data directory, gathered from what is on disk, so it works from another
// process while `run` is running and when nothing runs. Read-only: it creates nothing.
//   stream: per shard records and bytes
//   consumers: per delivery (and per checkpoint-store consumer) and shard, records and ms behind
//   deliveries: buffered bytes/records, delivered records/objects/bytes, failures (from their stats.json)
//   buckets: objects and bytes per bucket
//   table: rows and lag (objects/bytes not yet loaded) when the table exists
//   run: whether a run is active, last ingest time and result, next fire time, error counts
//   backend: only with RemoteSections (`status --backend aws`), which then supply stream, consumers and buckets
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"

namespace brewline::pipeline {

struct ConsumerLag {
  std::string consumer;  // delivery name, or checkpoint-store consumer name
  std::string kind;      // "delivery" | "checkpoint"
  std::string shard_id;
  uint64_t records_behind = 0;
  int64_t ms_behind = 0;  // age (now − arrival) of the oldest record not yet processed; 0 when caught up
  // Remote streams only (absent from the local JSON, where records_behind is always exact): records_behind
  // counts one bounded read after the checkpoint, so it is a lower bound unless that read reached the tip;
  // millis_behind_latest is Kinesis's own MillisBehindLatest for that read.
  std::optional<bool> records_behind_exact;
  std::optional<int64_t> millis_behind_latest;
  std::string error;  // why this position could not be read (remote only)
};

// A caught-up position (0 behind) of `consumer` on `shard_id`.
inline ConsumerLag NewLag(std::string consumer, std::string kind, std::string shard_id) {
  ConsumerLag lag;
  lag.consumer = std::move(consumer);
  lag.kind = std::move(kind);
  lag.shard_id = std::move(shard_id);
  return lag;
}

struct StatusReport {
  std::string json;  // the whole report, one JSON object (also served at /v1/status)
  std::string text;  // the same for people
  std::vector<ConsumerLag> lags;
};

// Sections gathered outside the data dir (the AWS backend: pipeline/aws_status.h). Given to CollectStatus, they
// replace the local stream, consumer-lag and bucket sections; run, deliveries, scorer, table and errors are
// still read from the data dir. Each *_text is that section's text, whole lines.
struct RemoteSections {
  nlohmann::ordered_json backend;  // top-level "backend" object (which backend, endpoints, first error)
  std::string backend_text;
  nlohmann::ordered_json stream;   // same shape as the local "stream" object where the concept is the same
  std::string stream_text;
  std::vector<ConsumerLag> lags;
  std::string lags_note;           // one line after the lag lines saying what is exact and what is estimated
  nlohmann::ordered_json buckets;  // array of {name, objects, bytes, complete}
  std::string buckets_text;
};

// `stream_name` is the stream `run` feeds ("beers").
Result<StatusReport> CollectStatus(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                   const std::string& stream_name = "beers", const RemoteSections* remote = nullptr);

// "512 B", "1.5 KiB", "2.0 MiB": sizes as status prints them.
std::string FormatByteCount(uint64_t n);

}  // namespace brewline::pipeline
