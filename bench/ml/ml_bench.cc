// ml_bench DATA_JSON FEATURES_CSV_OUT: trains the shipped classifier (default hyperparameters: the XGBoost booster
// blended with the ExtraTrees forest) on punkapi-db, timing the whole BuildModel and each half alone, then times
// single-row predictions on every beer: IbuClassifier::PredictInto (blend, and the same booster served alone), the
// forest alone (ExtraTrees::PredictProbabilities) and a bare single-row XGBoost C API call on the same booster.
// Prints one JSON object. It also writes the exact training rows (features, band) so the Python peers in run.sh
// train on identical data.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "beer/json_array.h"
#include "common/file_system.h"
#include "ml/booster.h"
#include "ml/extra_trees.h"
#include "ml/features.h"
#include "ml/ibu_classifier.h"
#include "ml/model_builder.h"

using namespace brewline;

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kTrainReps = 5;
constexpr int kPredictRounds = 20;

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

int Fail(const Status& s) {
  std::fprintf(stderr, "ml_bench: %s\n", s.ToString().c_str());
  return 1;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Latency {
  double p50 = 0, p99 = 0;
  size_t calls = 0;
};

// One call per beer, kPredictRounds rounds after a warm-up round; `call` returns false to abort.
Latency TimeEachBeer(const std::vector<beer::CleanedBeer>& beers, const std::function<bool(const beer::CleanedBeer&)>& call,
                     bool* ok) {
  std::vector<double> us;
  for (int round = 0; round < kPredictRounds + 1; ++round) {
    for (const auto& b : beers) {
      const auto t0 = Clock::now();
      const bool good = call(b);
      const auto t1 = Clock::now();
      if (!good) {
        *ok = false;
        return {};
      }
      if (round > 0) us.push_back(Seconds(t0, t1) * 1e6);  // round 0 warms caches
    }
  }
  std::sort(us.begin(), us.end());
  auto pct = [&](double q) { return us[static_cast<size_t>(q * (us.size() - 1))]; };
  return {pct(0.5), pct(0.99), us.size()};
}

// The rows the classifier trained on, as CSV (exact float32 values: %.9g round-trips), so peers see the same data.
std::string TrainingCsv(const ml::Dataset& data) {
  std::string csv;
  for (auto n : ml::kFeatureNames) csv += std::string(n) + ",";
  csv += "band\n";
  char buf[32];
  for (int r = 0; r < data.rows(); ++r) {
    for (int c = 0; c < ml::kNumFeatures; ++c) {
      const float v = data.row(r)[c];
      if (!std::isnan(v)) {
        std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v));
        csv += buf;
      }
      csv += ",";
    }
    csv += std::to_string(data.band[r]) + "\n";
  }
  return csv;
}

// The forest half exactly as ml::TrainClassifier fits it (all rows, balanced class weights, per-name transforms).
Result<ml::ExtraTrees> TrainForestAlone(const ml::Dataset& data, const ml::Hyperparameters& hp, int bands) {
  std::vector<int> counts(bands, 0), labels;
  std::vector<double> weights;
  for (int r = 0; r < data.rows(); ++r) counts[data.band[r]]++;
  for (int r = 0; r < data.rows(); ++r) {
    labels.push_back(data.band[r]);
    weights.push_back(static_cast<double>(data.rows()) / (bands * counts[data.band[r]]));
  }
  std::vector<ml::ColumnTransform> transforms;
  for (std::string_view name : ml::kFeatureNames) transforms.push_back(ml::ExtraTrees::TransformFor(name));
  return ml::ExtraTrees::Train(data.features.data(), data.rows(), ml::kNumFeatures, labels, weights, bands,
                               transforms, ml::ForestParams(hp));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: ml_bench DATA_JSON FEATURES_CSV_OUT\n");
    return 2;
  }
  auto text = PosixFileSystem::Get().ReadFile(argv[1]);
  if (!text.ok()) return Fail(text.status());
  auto elements = beer::SplitJsonArray(*text);
  if (!elements.ok()) return Fail(elements.status());
  std::vector<beer::CleanedBeer> beers;
  beer::BeerParser parser;
  for (const auto& e : *elements) {
    auto b = parser.Parse(e.text);
    if (!b.ok()) return Fail(b.status());
    beers.push_back(*b);
  }

  // Training: the shipped blend (BuildModel: dataset + booster + forest), the booster alone, the forest alone.
  ml::TrainRequest req;
  req.evaluate = false;
  ml::TrainRequest booster_req = req;
  booster_req.hp.forest_trees = 0;
  std::vector<double> blend_s, booster_s, forest_s;
  std::string model_json, metadata_json, forest_json, booster_metadata_json;
  ml::Dataset data;
  for (int i = 0; i < kTrainReps; ++i) {
    auto t0 = Clock::now();
    auto built = ml::BuildModel(beers, req, 0);
    auto t1 = Clock::now();
    if (!built.ok()) return Fail(built.status());
    blend_s.push_back(Seconds(t0, t1));
    t0 = Clock::now();
    auto boosted = ml::BuildModel(beers, booster_req, 0);
    t1 = Clock::now();
    if (!boosted.ok()) return Fail(boosted.status());
    booster_s.push_back(Seconds(t0, t1));
    if (i > 0) continue;
    data = built->data;
    built->metadata.version = 1;
    built->metadata.model_sha256 = ml::Sha256Hex(built->model_json);
    model_json = built->model_json;
    forest_json = built->forest_json;
    built->metadata.forest_sha256 = ml::Sha256Hex(forest_json);
    metadata_json = ml::MetadataToJson(built->metadata);
    // The same booster served without its forest (forest_trees 0 in the metadata; same correction).
    built->metadata.hyperparameters.forest_trees = 0;
    built->metadata.forest_sha256.clear();
    booster_metadata_json = ml::MetadataToJson(built->metadata);
    if (Status s = WriteFileAtomically(PosixFileSystem::Get(), argv[2], TrainingCsv(data)); !s.ok()) return Fail(s);
  }
  if (forest_json.empty()) return Fail(Internal("the default hyperparameters trained no forest"));
  const int bands = req.bands.count();
  for (int i = 0; i < kTrainReps; ++i) {
    const auto t0 = Clock::now();
    auto forest = TrainForestAlone(data, req.hp, bands);
    const auto t1 = Clock::now();
    if (!forest.ok()) return Fail(forest.status());
    forest_s.push_back(Seconds(t0, t1));
  }

  auto clf = ml::IbuClassifier::FromFiles(model_json, metadata_json, forest_json);
  if (!clf.ok()) return Fail(clf.status());
  auto booster_clf = ml::IbuClassifier::FromFiles(model_json, booster_metadata_json);
  if (!booster_clf.ok()) return Fail(booster_clf.status());
  auto forest = ml::ExtraTrees::FromJson(forest_json);
  if (!forest.ok()) return Fail(forest.status());
  auto booster = ml::Booster::LoadJson(model_json);
  if (!booster.ok()) return Fail(booster.status());
  if (Status s = booster->SetParam("nthread", "1"); !s.ok()) return Fail(s);

  bool ok = true;
  ml::Prediction p;
  Status last;
  // A beer with every measure missing is refused (InvalidArgument) by design; it still counts as a call.
  auto classify = [&](const ml::IbuClassifier& c) {
    return [&](const beer::CleanedBeer& b) {
      last = c.PredictInto(b, &p);
      return last.ok() || last.code() == StatusCode::kInvalidArgument;
    };
  };
  const Latency blend = TimeEachBeer(beers, classify(**clf), &ok);
  const Latency boosted = TimeEachBeer(beers, classify(**booster_clf), &ok);
  if (!ok) return Fail(last);
  // The forest and the bare booster get the row precomputed (ComputeFeatures outside the timed call, as before).
  std::vector<std::vector<float>> rows;
  for (const auto& b : beers) {
    rows.emplace_back(ml::kNumFeatures);
    ml::ComputeFeatures(b, rows.back().data());
  }
  auto row_of = [&](const beer::CleanedBeer& b) { return rows[&b - beers.data()].data(); };
  float probs[64];
  const Latency forest_only = TimeEachBeer(
      beers, [&](const beer::CleanedBeer& b) { forest->PredictProbabilities(row_of(b), probs); return true; }, &ok);
  std::vector<float> out;
  const Latency xgb_c = TimeEachBeer(
      beers, [&](const beer::CleanedBeer& b) { last = booster->Predict(row_of(b), 1, ml::kNumFeatures, &out); return last.ok(); },
      &ok);
  if (!ok) return Fail(last);

  std::printf(
      "{\"train_s_median\": %.4f, \"train_booster_s\": %.4f, \"train_forest_s\": %.4f, "
      "\"predict_us_p50\": %.2f, \"predict_us_p99\": %.2f, \"booster_us_p50\": %.2f, \"booster_us_p99\": %.2f, "
      "\"forest_us_p50\": %.2f, \"forest_us_p99\": %.2f, \"xgb_c_us_p50\": %.2f, \"xgb_c_us_p99\": %.2f, "
      "\"predictions\": %zu, \"rounds\": %d, \"rows\": %d, \"features\": %d, \"predictor\": \"%s\", "
      "\"forest_trees\": %d, \"forest_nodes\": %zu, \"forest_weight\": %g, \"prior_correction\": %g}\n",
      Median(blend_s), Median(booster_s), Median(forest_s), blend.p50, blend.p99, boosted.p50, boosted.p99,
      forest_only.p50, forest_only.p99, xgb_c.p50, xgb_c.p99, blend.calls, req.hp.rounds,
      (*clf)->metadata().training_rows, ml::kNumFeatures, std::string((*clf)->predictor()).c_str(), forest->num_trees(),
      forest->num_nodes(), req.hp.forest_weight, req.hp.prior_correction);
  return 0;
}
