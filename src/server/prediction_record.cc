#include "server/prediction_record.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/json_escape.h"
#include "common/time_util.h"

namespace brewline::server {
namespace {

void AppendOptNumber(std::string* out, const std::optional<double>& v) {
  if (v) AppendJsonNumber(out, *v);
  else out->append("null");
}

void AppendOptInt(std::string* out, const std::optional<int>& v) {
  if (v) out->append(std::to_string(*v));
  else out->append("null");
}

std::optional<double> OptDouble(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<int> OptInt(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

std::string Str(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

void AppendPredictionLine(std::string* out, const PredictionRecord& r) {
  out->append("{\"id\":").append(std::to_string(r.id));
  out->append(",\"name\":");
  AppendJsonString(out, r.name);
  out->append(",\"predicted_band\":");
  AppendOptInt(out, r.predicted_band);
  out->append(",\"predicted_range\":");
  if (r.predicted_band) AppendJsonString(out, r.predicted_range);
  else out->append("null");
  out->append(",\"band_low\":");
  AppendOptNumber(out, r.band_low);
  out->append(",\"band_high\":");
  AppendOptNumber(out, r.band_high);
  out->append(",\"probabilities\":[");
  for (size_t i = 0; i < r.probabilities.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonFloat(out, static_cast<float>(r.probabilities[i]));
  }
  out->append("],\"model_version\":").append(std::to_string(r.model_version));
  out->append(",\"ibu\":");
  AppendOptNumber(out, r.ibu);
  out->append(",\"actual_band\":");
  AppendOptInt(out, r.actual_band);
  out->append(",\"actual_range\":");
  if (r.actual_band) AppendJsonString(out, r.actual_range);
  else out->append("null");
  out->append(",\"arrival_ms\":").append(std::to_string(r.arrival_ms));
  out->append(",\"arrival_time\":");
  AppendJsonString(out, FormatIso8601(r.arrival_ms, /*millis=*/true));
  out->append(",\"shard_id\":");
  AppendJsonString(out, r.shard_id);
  out->append(",\"sequence_number\":");
  AppendJsonString(out, r.sequence_number);
  out->append(",\"error\":");
  if (r.error.empty()) out->append("null");
  else AppendJsonString(out, r.error);
  out->append("}\n");
}

Result<PredictionRecord> ParsePredictionLine(std::string_view line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corruption("prediction line is not a JSON object");
  PredictionRecord r;
  auto id = j.find("id");
  if (id == j.end() || !id->is_number_integer()) return Corruption("prediction line: 'id' is not an integer");
  r.id = id->get<int64_t>();
  r.name = Str(j, "name");
  r.predicted_band = OptInt(j, "predicted_band");
  r.predicted_range = Str(j, "predicted_range");
  r.band_low = OptDouble(j, "band_low");
  r.band_high = OptDouble(j, "band_high");
  if (auto p = j.find("probabilities"); p != j.end() && p->is_array()) {
    for (const auto& v : *p) r.probabilities.push_back(v.is_number() ? v.get<double>() : 0.0);
  }
  auto mv = OptInt(j, "model_version");
  if (!mv) return Corruption("prediction line: 'model_version' is not an integer");
  r.model_version = *mv;
  r.ibu = OptDouble(j, "ibu");
  r.actual_band = OptInt(j, "actual_band");
  r.actual_range = Str(j, "actual_range");
  auto am = j.find("arrival_ms");
  r.arrival_ms = am != j.end() && am->is_number_integer() ? am->get<int64_t>() : 0;
  r.shard_id = Str(j, "shard_id");
  r.sequence_number = Str(j, "sequence_number");
  r.error = Str(j, "error");
  if (r.shard_id.empty() || r.sequence_number.empty()) return Corruption("prediction line: no shard_id/sequence_number");
  return r;
}

}  // namespace brewline::server
