// RunState: what a running `brewline run` publishes about itself in <data-dir>/run/status.json (written
// atomically, at most about once per second, and a last time on a clean stop), so `brewline status` in another
// process — or after the run ended — can show the last ingest, the schedule and the error counts.
// The run's single-instance lock is <data-dir>/run/LOCK.
#pragma once

#include <cstdint>
#include <string>

#include "common/file_system.h"
#include "common/result.h"

namespace brewline::pipeline {

struct RunState {
  int64_t pid = 0;
  bool running = false;  // false after a clean stop; a crashed run leaves true with a dead pid
  int64_t started_ms = 0;
  int64_t updated_ms = 0;
  int64_t stopped_ms = 0;
  std::string schedule;
  std::string source;      // the Punk API URL ingest reads
  std::string admin_url;   // http://127.0.0.1:PORT
  // Ingest.
  uint64_t ingest_runs = 0, ingested = 0, fetch_failures = 0, invalid = 0, put_failures = 0, bad_events = 0;
  int64_t last_ingest_ms = 0;
  bool last_ingest_ok = false;
  std::string last_ingest_result;
  // Scheduler.
  int64_t next_fire_ms = 0;
  uint64_t catch_ups = 0, missed_periods = 0;
  // Table sync.
  uint64_t table_syncs = 0, table_sync_failures = 0;
  std::string table_last_error;
  // The local stream's per-shard limits ("kinesis" | "unlimited"; empty on the AWS backend) and the requests
  // they refused in this run (ProvisionedThroughputExceededException: records put, GetRecords calls).
  std::string stream_limits;
  uint64_t stream_write_throttled = 0, stream_read_throttled = 0;
};

std::string RunDir(const std::string& data_dir);        // <data-dir>/run
std::string RunStatePath(const std::string& data_dir);  // <data-dir>/run/status.json
std::string RunLockPath(const std::string& data_dir);   // <data-dir>/run/LOCK

std::string RunStateToJson(const RunState& state);
Result<RunState> RunStateFromJson(std::string_view json);
Status WriteRunState(FileSystem& fs, const std::string& data_dir, const RunState& state);
// NotFound when no run ever wrote one.
Result<RunState> ReadRunState(FileSystem& fs, const std::string& data_dir);
// True when `pid` names a live process (kill(pid, 0)).
bool ProcessAlive(int64_t pid);

}  // namespace brewline::pipeline
