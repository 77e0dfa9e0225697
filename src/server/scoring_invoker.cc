#include "server/scoring_invoker.h"

#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "server/prediction_record.h"

namespace brewline::server {
namespace {

using Json = nlohmann::json;

std::string JsonStr(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t JsonMillis(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<int64_t>() : 0;
}

}  // namespace

Result<std::string> ScoreFirehoseEvent(const ml::IbuClassifier& model, std::string_view event_json,
                                       beer::BeerParser& parser) {
  Json event = Json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded() || !event.is_object()) return InvalidArgument("transformation event is not a JSON object");
  auto records = event.find("records");
  if (records == event.end() || !records->is_array()) return InvalidArgument("transformation event has no 'records' array");
  const ml::Bands& bands = model.bands();
  std::string out = "{\"records\":[";
  std::string line;
  ml::Prediction prediction;
  bool first = true;
  for (const Json& rec : *records) {
    if (!rec.is_object()) return InvalidArgument("transformation event: a record is not an object");
    const std::string id = JsonStr(rec, "recordId");
    const std::string data64 = JsonStr(rec, "data");
    if (id.empty()) return InvalidArgument("transformation event: a record has no recordId");
    if (!first) out.push_back(',');
    first = false;
    out += "{\"recordId\":" + Json(id).dump() + ",\"result\":";
    auto data = Base64Decode(data64);
    auto beer = data.ok() ? parser.Parse(*data) : Result<beer::CleanedBeer>(data.status());
    if (!beer.ok()) {
      out += "\"ProcessingFailed\",\"data\":" + Json(data64).dump() + "}";
      continue;
    }
    PredictionRecord r;
    r.id = beer->id;
    r.name = beer->name;
    r.model_version = model.version();
    r.ibu = beer->ibu;
    if (beer->ibu) {
      r.actual_band = bands.BandOf(*beer->ibu);
      r.actual_range = bands.label(*r.actual_band);
    }
    r.arrival_ms = JsonMillis(rec, "approximateArrivalTimestamp");
    auto meta = rec.find("kinesisRecordMetadata");
    if (meta != rec.end() && meta->is_object()) {
      r.shard_id = JsonStr(*meta, "shardId");
      r.sequence_number = JsonStr(*meta, "sequenceNumber");
    }
    Status st = model.PredictInto(*beer, &prediction);
    if (st.ok()) {
      r.predicted_band = prediction.band;
      r.predicted_range = bands.label(prediction.band);
      r.band_low = prediction.band_low;
      if (prediction.band < bands.count() - 1) r.band_high = prediction.band_high;
      r.probabilities.assign(prediction.probabilities.begin(), prediction.probabilities.end());
    } else {
      r.error = st.message();
    }
    line.clear();
    AppendPredictionLine(&line, r);
    out += "\"Ok\",\"data\":\"" + Base64Encode(line) + "\"}";
  }
  out += "]}";
  return out;
}

Result<std::string> ScoringInvoker::Invoke(std::string_view event_json) {
  std::shared_ptr<const ml::IbuClassifier> model = models_.current();
  if (!model) return FailedPrecondition("no model loaded yet");
  return ScoreFirehoseEvent(*model, event_json, parser_);
}

}  // namespace brewline::server
