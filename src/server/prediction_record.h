// One prediction as the scorer writes it: a JSON object per line (JSON Lines) in bucket `predictions` and a
// row of table `predictions`. Format (keys in this order; absent knowledge is null, never invented):
//   {"id":1,"name":"Buzz","predicted_band":1,"predicted_range":"[20,40)","band_low":20,"band_high":40,
//    "probabilities":[0.1,…],"model_version":3,"ibu":60,"actual_band":3,"actual_range":"[60,80)",
//    "arrival_ms":1764230000000,"arrival_time":"2026-11-27T08:00:00Z","shard_id":"shardId-000000000000",
//    "sequence_number":"4960…","error":null}
// band_high is null for the open last band. A beer the model cannot score (every measure missing) has
// predicted_* null and "error" saying why; it still gets its line, so every beer record has exactly one.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::server {

inline constexpr char kPredictionsBucket[] = "predictions";
inline constexpr char kPredictionsDelivery[] = "predictions";

struct PredictionRecord {
  int64_t id = 0;
  std::string name;
  std::optional<int> predicted_band;
  std::string predicted_range;
  std::optional<double> band_low, band_high;
  std::vector<double> probabilities;
  int model_version = 0;
  std::optional<double> ibu;
  std::optional<int> actual_band;
  std::string actual_range;
  int64_t arrival_ms = 0;
  std::string shard_id;
  std::string sequence_number;
  std::string error;  // "" when predicted
};

// Appends the record as one JSON line, "\n" included.
void AppendPredictionLine(std::string* out, const PredictionRecord& r);
// Parses one line written by AppendPredictionLine (Corruption naming the problem otherwise).
Result<PredictionRecord> ParsePredictionLine(std::string_view line);

}  // namespace brewline::server
