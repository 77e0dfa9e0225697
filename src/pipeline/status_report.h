// `brewline status`: a snapshot of a data directory, gathered from what is on disk, so it works from another
// process while `run` is running and when nothing runs. Read-only: it creates nothing.
//   stream: per shard records and bytes
//   consumers: per delivery (and per checkpoint-store consumer) and shard, records and ms behind
//   deliveries: buffered bytes/records, delivered records/objects/bytes, failures (from their stats.json)
//   buckets: objects and bytes per bucket
//   table: rows and lag (objects/bytes not yet loaded) when the table exists
//   run: whether a run is active, last ingest time and result, next fire time, error counts
#pragma once

#include <cstdint>
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
};

struct StatusReport {
  std::string json;  // the whole report, one JSON object (also served at /v1/status)
  std::string text;  // the same for people
  std::vector<ConsumerLag> lags;
};

// `stream_name` is the stream `run` feeds ("beers").
Result<StatusReport> CollectStatus(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                   const std::string& stream_name = "beers");

}  // namespace brewline::pipeline
