#include "pipeline/run_state.h"

#include <signal.h>

#include <cerrno>

#include "common/json_state_file.h"

namespace brewline::pipeline {

std::string RunDir(const std::string& data_dir) { return JoinPath(data_dir, "run"); }
std::string RunStatePath(const std::string& data_dir) { return JoinPath(RunDir(data_dir), "status.json"); }
std::string RunLockPath(const std::string& data_dir) { return JoinPath(RunDir(data_dir), "LOCK"); }

namespace {

constexpr const char* kWhat = "run status file";

// Every field of status.json, once for writing (S = const RunState) and reading (S = RunState).
template <typename Fields, typename S>
void Bind(Fields& f, S& s) {
  f("pid", s.pid);
  f("running", s.running);
  f("started_ms", s.started_ms);
  f("updated_ms", s.updated_ms);
  f("stopped_ms", s.stopped_ms);
  f("schedule", s.schedule);
  f("source", s.source);
  f("admin_url", s.admin_url);
  f.Object("ingest", [&](auto& in) {
    in("runs", s.ingest_runs);
    in("ingested", s.ingested);
    in("fetch_failures", s.fetch_failures);
    in("invalid", s.invalid);
    in("put_failures", s.put_failures);
    in("bad_events", s.bad_events);
    in("last_ms", s.last_ingest_ms);
    in("last_ok", s.last_ingest_ok);
    in("last_result", s.last_ingest_result);
  });
  f.Object("scheduler", [&](auto& sc) {
    sc("next_fire_ms", s.next_fire_ms);
    sc("catch_ups", s.catch_ups);
    sc("missed_periods", s.missed_periods);
  });
  f.Object("table_sync", [&](auto& ts) {
    ts("syncs", s.table_syncs);
    ts("failures", s.table_sync_failures);
    ts("last_error", s.table_last_error);
  });
  f.Object("stream", [&](auto& st) {
    st("limits", s.stream_limits);
    st("write_throttled", s.stream_write_throttled);
    st("read_throttled", s.stream_read_throttled);
  });
}

}  // namespace

std::string RunStateToJson(const RunState& s) {
  nlohmann::ordered_json j;
  JsonFieldWriter writer(j);
  Bind(writer, s);
  return j.dump(2) + "\n";
}

Result<RunState> RunStateFromJson(std::string_view json) {
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonObject(json, kWhat));
  RunState s;
  RETURN_IF_ERROR(ReadJsonFields(j, kWhat, [&](JsonFieldReader& r) { Bind(r, s); }));
  return s;
}

Status WriteRunState(FileSystem& fs, const std::string& data_dir, const RunState& state) {
  RETURN_IF_ERROR(fs.CreateDirs(RunDir(data_dir)));
  return WriteFileAtomically(fs, RunStatePath(data_dir), RunStateToJson(state));
}

Result<RunState> ReadRunState(FileSystem& fs, const std::string& data_dir) {
  const std::string path = RunStatePath(data_dir);
  if (!fs.Exists(path)) return NotFound("no run has written " + path);
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return RunStateFromJson(text);
}

bool ProcessAlive(int64_t pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace brewline::pipeline
