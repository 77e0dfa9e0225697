#include "pipeline/run_state.h"

#include <signal.h>

#include <cerrno>
#include <nlohmann/json.hpp>

namespace brewline::pipeline {

std::string RunDir(const std::string& data_dir) { return JoinPath(data_dir, "run"); }
std::string RunStatePath(const std::string& data_dir) { return JoinPath(RunDir(data_dir), "status.json"); }
std::string RunLockPath(const std::string& data_dir) { return JoinPath(RunDir(data_dir), "LOCK"); }

std::string RunStateToJson(const RunState& s) {
  nlohmann::ordered_json j;
  j["pid"] = s.pid;
  j["running"] = s.running;
  j["started_ms"] = s.started_ms;
  j["updated_ms"] = s.updated_ms;
  j["stopped_ms"] = s.stopped_ms;
  j["schedule"] = s.schedule;
  j["source"] = s.source;
  j["admin_url"] = s.admin_url;
  j["ingest"] = {{"runs", s.ingest_runs},           {"ingested", s.ingested},
                 {"fetch_failures", s.fetch_failures}, {"invalid", s.invalid},
                 {"put_failures", s.put_failures},   {"bad_events", s.bad_events},
                 {"last_ms", s.last_ingest_ms},      {"last_ok", s.last_ingest_ok},
                 {"last_result", s.last_ingest_result}};
  j["scheduler"] = {{"next_fire_ms", s.next_fire_ms}, {"catch_ups", s.catch_ups}, {"missed_periods", s.missed_periods}};
  j["table_sync"] = {{"syncs", s.table_syncs}, {"failures", s.table_sync_failures}, {"last_error", s.table_last_error}};
  return j.dump(2) + "\n";
}

Result<RunState> RunStateFromJson(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corruption("run status file is not a JSON object");
  RunState s;
  // value() with defaults: older or partial files read as far as they go; type errors are caught below.
  try {
    s.pid = j.value("pid", int64_t{0});
    s.running = j.value("running", false);
    s.started_ms = j.value("started_ms", int64_t{0});
    s.updated_ms = j.value("updated_ms", int64_t{0});
    s.stopped_ms = j.value("stopped_ms", int64_t{0});
    s.schedule = j.value("schedule", "");
    s.source = j.value("source", "");
    s.admin_url = j.value("admin_url", "");
    const nlohmann::json in = j.value("ingest", nlohmann::json::object());
    s.ingest_runs = in.value("runs", uint64_t{0});
    s.ingested = in.value("ingested", uint64_t{0});
    s.fetch_failures = in.value("fetch_failures", uint64_t{0});
    s.invalid = in.value("invalid", uint64_t{0});
    s.put_failures = in.value("put_failures", uint64_t{0});
    s.bad_events = in.value("bad_events", uint64_t{0});
    s.last_ingest_ms = in.value("last_ms", int64_t{0});
    s.last_ingest_ok = in.value("last_ok", false);
    s.last_ingest_result = in.value("last_result", "");
    const nlohmann::json sc = j.value("scheduler", nlohmann::json::object());
    s.next_fire_ms = sc.value("next_fire_ms", int64_t{0});
    s.catch_ups = sc.value("catch_ups", uint64_t{0});
    s.missed_periods = sc.value("missed_periods", uint64_t{0});
    const nlohmann::json ts = j.value("table_sync", nlohmann::json::object());
    s.table_syncs = ts.value("syncs", uint64_t{0});
    s.table_sync_failures = ts.value("failures", uint64_t{0});
    s.table_last_error = ts.value("last_error", "");
  } catch (const nlohmann::json::exception& e) {
    return Corruption(std::string("run status file: ") + e.what());
  }
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
