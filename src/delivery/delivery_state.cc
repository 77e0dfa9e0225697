#include "delivery/delivery_state.h"

#include <nlohmann/json.hpp>

namespace brewline::delivery {

using nlohmann::json;

namespace {
constexpr const char* kStateFile = "state.json";
constexpr const char* kStatsFile = "stats.json";
}  // namespace

std::string DeliveryStateDir(const std::string& data_dir, const std::string& name) {
  return JoinPath(JoinPath(data_dir, "delivery"), name);
}

bool SequenceLess(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

Result<DeliveryState> LoadDeliveryState(FileSystem& fs, const std::string& state_dir) {
  const std::string path = JoinPath(state_dir, kStateFile);
  if (!fs.Exists(path)) return DeliveryState{};
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  try {
    json j = json::parse(text);
    DeliveryState s;
    s.checkpoints = j.at("checkpoints").get<std::map<std::string, std::string>>();
    s.next_batch_id = j.at("next_batch_id").get<uint64_t>();
    s.delivered_records = j.value("delivered_records", uint64_t{0});
    s.failed_records = j.value("failed_records", uint64_t{0});
    s.delivered_objects = j.value("delivered_objects", uint64_t{0});
    s.delivered_bytes = j.value("delivered_bytes", uint64_t{0});
    if (j.contains("pending") && !j["pending"].is_null()) {
      const json& p = j["pending"];
      PendingBatch b;
      b.batch_id = p.at("batch_id").get<uint64_t>();
      b.data_key = p.at("data_key").get<std::string>();
      b.error_key = p.at("error_key").get<std::string>();
      b.oldest_arrival_ms = p.at("oldest_arrival_ms").get<int64_t>();
      for (const auto& [shard, r] : p.at("ranges").items()) {
        b.ranges[shard] = ShardRange{r.at("first").get<std::string>(), r.at("last").get<std::string>(),
                                     r.at("records").get<uint64_t>()};
      }
      s.pending = std::move(b);
    }
    return s;
  } catch (const std::exception& e) {
    return Corruption("delivery state " + path + " is damaged: " + e.what());
  }
}

Status SaveDeliveryState(FileSystem& fs, const std::string& state_dir, const DeliveryState& s) {
  json j;
  j["format"] = 1;
  j["checkpoints"] = s.checkpoints;
  j["next_batch_id"] = s.next_batch_id;
  j["delivered_records"] = s.delivered_records;
  j["failed_records"] = s.failed_records;
  j["delivered_objects"] = s.delivered_objects;
  j["delivered_bytes"] = s.delivered_bytes;
  if (s.pending) {
    json p;
    p["batch_id"] = s.pending->batch_id;
    p["data_key"] = s.pending->data_key;
    p["error_key"] = s.pending->error_key;
    p["oldest_arrival_ms"] = s.pending->oldest_arrival_ms;
    json ranges = json::object();
    for (const auto& [shard, r] : s.pending->ranges) {
      ranges[shard] = {{"first", r.first_sequence}, {"last", r.last_sequence}, {"records", r.records}};
    }
    p["ranges"] = ranges;
    j["pending"] = p;
  } else {
    j["pending"] = nullptr;
  }
  return WriteFileAtomically(fs, JoinPath(state_dir, kStateFile), j.dump(1));
}

Status SaveDeliveryStats(FileSystem& fs, const std::string& state_dir, const DeliveryStats& s) {
  json j = {{"name", s.name},
            {"buffered_bytes", s.buffered_bytes},
            {"buffered_records", s.buffered_records},
            {"delivered_records", s.delivered_records},
            {"delivered_objects", s.delivered_objects},
            {"delivered_bytes", s.delivered_bytes},
            {"failed_records", s.failed_records},
            {"store_failures", s.store_failures},
            {"invocation_failures", s.invocation_failures},
            {"last_flush_ms", s.last_flush_ms},
            {"updated_ms", s.updated_ms}};
  return WriteFileAtomically(fs, JoinPath(state_dir, kStatsFile), j.dump(1));
}

Result<DeliveryStats> ReadDeliveryStats(FileSystem& fs, const std::string& data_dir, const std::string& name) {
  const std::string path = JoinPath(DeliveryStateDir(data_dir, name), kStatsFile);
  if (!fs.Exists(path)) return NotFound("delivery '" + name + "' has no stats yet (never ran)");
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  try {
    json j = json::parse(text);
    DeliveryStats s;
    s.name = j.value("name", name);
    s.buffered_bytes = j.value("buffered_bytes", uint64_t{0});
    s.buffered_records = j.value("buffered_records", uint64_t{0});
    s.delivered_records = j.value("delivered_records", uint64_t{0});
    s.delivered_objects = j.value("delivered_objects", uint64_t{0});
    s.delivered_bytes = j.value("delivered_bytes", uint64_t{0});
    s.failed_records = j.value("failed_records", uint64_t{0});
    s.store_failures = j.value("store_failures", uint64_t{0});
    s.invocation_failures = j.value("invocation_failures", uint64_t{0});
    s.last_flush_ms = j.value("last_flush_ms", int64_t{0});
    s.updated_ms = j.value("updated_ms", int64_t{0});
    return s;
  } catch (const std::exception& e) {
    return Corruption("delivery stats " + path + " are damaged: " + e.what());
  }
}

}  // namespace brewline::delivery
