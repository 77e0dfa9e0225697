#include "delivery/delivery_state.h"

#include "common/json_state_file.h"

namespace brewline::delivery {

using nlohmann::json;
using nlohmann::ordered_json;

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

namespace {

// The fields of state.json besides `pending`, once for writing (S = const DeliveryState) and reading.
template <typename Fields, typename S>
void BindState(Fields& f, S& s) {
  f("checkpoints", s.checkpoints);
  f("next_batch_id", s.next_batch_id);
  f("delivered_records", s.delivered_records);
  f("failed_records", s.failed_records);
  f("delivered_objects", s.delivered_objects);
  f("delivered_bytes", s.delivered_bytes);
}

template <typename Fields, typename S>
void BindPending(Fields& f, S& p) {
  f("batch_id", p.batch_id);
  f("data_key", p.data_key);
  f("error_key", p.error_key);
  f("oldest_arrival_ms", p.oldest_arrival_ms);
}

template <typename Fields, typename S>
void BindRange(Fields& f, S& r) {
  f("first", r.first_sequence);
  f("last", r.last_sequence);
  f("records", r.records);
}

template <typename Fields, typename S>
void BindStats(Fields& f, S& s) {
  f("name", s.name);
  f("buffered_bytes", s.buffered_bytes);
  f("buffered_records", s.buffered_records);
  f("delivered_records", s.delivered_records);
  f("delivered_objects", s.delivered_objects);
  f("delivered_bytes", s.delivered_bytes);
  f("failed_records", s.failed_records);
  f("store_failures", s.store_failures);
  f("invocation_failures", s.invocation_failures);
  f("last_flush_ms", s.last_flush_ms);
  f("updated_ms", s.updated_ms);
}

}  // namespace

Result<DeliveryState> LoadDeliveryState(FileSystem& fs, const std::string& state_dir) {
  const std::string path = JoinPath(state_dir, kStateFile);
  const std::string what = "delivery state " + path;
  ASSIGN_OR_RETURN(std::optional<json> j, ReadJsonStateFile(fs, path, "delivery state"));
  if (!j) return DeliveryState{};
  // Without its checkpoints a state would silently redeliver everything: those two keys are required.
  if (!j->contains("checkpoints") || !j->contains("next_batch_id")) {
    return Corruption(what + " is damaged: no checkpoints or next_batch_id");
  }
  DeliveryState s;
  RETURN_IF_ERROR(ReadJsonFields(*j, what, [&](JsonFieldReader& r) { BindState(r, s); }));
  const json pending = j->value("pending", json());
  if (pending.is_null()) return s;
  if (!pending.is_object() || !pending.contains("ranges")) return Corruption(what + " is damaged: bad pending batch");
  PendingBatch b;
  RETURN_IF_ERROR(ReadJsonFields(pending, what, [&](JsonFieldReader& r) { BindPending(r, b); }));
  for (const auto& [shard, range] : pending["ranges"].items()) {
    RETURN_IF_ERROR(ReadJsonFields(range, what, [&](JsonFieldReader& r) { BindRange(r, b.ranges[shard]); }));
  }
  s.pending = std::move(b);
  return s;
}

Status SaveDeliveryState(FileSystem& fs, const std::string& state_dir, const DeliveryState& s) {
  ordered_json j;
  j["format"] = 1;
  JsonFieldWriter writer(j);
  BindState(writer, s);
  if (s.pending) {
    writer.Object("pending", [&](JsonFieldWriter& p) {
      BindPending(p, *s.pending);
      p.Object("ranges", [&](JsonFieldWriter& ranges) {
        for (const auto& [shard, r] : s.pending->ranges) {
          ranges.Object(shard.c_str(), [&](JsonFieldWriter& range) { BindRange(range, r); });
        }
      });
    });
  } else {
    j["pending"] = nullptr;
  }
  return WriteJsonStateFile(fs, JoinPath(state_dir, kStateFile), j);
}

Status SaveDeliveryStats(FileSystem& fs, const std::string& state_dir, const DeliveryStats& s) {
  ordered_json j;
  JsonFieldWriter writer(j);
  BindStats(writer, s);
  return WriteJsonStateFile(fs, JoinPath(state_dir, kStatsFile), j);
}

Result<DeliveryStats> ReadDeliveryStats(FileSystem& fs, const std::string& data_dir, const std::string& name) {
  const std::string path = JoinPath(DeliveryStateDir(data_dir, name), kStatsFile);
  ASSIGN_OR_RETURN(std::optional<json> j, ReadJsonStateFile(fs, path, "delivery stats"));
  if (!j) return NotFound("delivery '" + name + "' has no stats yet (never ran)");
  DeliveryStats s;
  s.name = name;
  RETURN_IF_ERROR(ReadJsonFields(*j, "delivery stats " + path, [&](JsonFieldReader& r) { BindStats(r, s); }));
  return s;
}

}  // namespace brewline::delivery
