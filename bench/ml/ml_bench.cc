// ml_bench DATA_JSON FEATURES_CSV_OUT: trains the shipped classifier (default hyperparameters) on punkapi-db,
// timing it, then times single-row IbuClassifier::PredictInto calls (the compiled tree predictor) and bare
// single-row XGBoost C API calls on the same model; prints one JSON object. It also writes the
// exact training rows (features, band) so the Python peers in run.sh train on identical data.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "beer/json_array.h"
#include "common/file_system.h"
#include "ml/booster.h"
#include "ml/features.h"
#include "ml/ibu_classifier.h"
#include "ml/model_builder.h"

using namespace brewline;

namespace {

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

int Fail(const Status& s) {
  std::fprintf(stderr, "ml_bench: %s\n", s.ToString().c_str());
  return 1;
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

  ml::TrainRequest req;
  req.evaluate = false;
  std::vector<double> train_s;
  std::string model_json, metadata_json, forest_json;
  for (int i = 0; i < 3; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto built = ml::BuildModel(beers, req, 0);
    auto t1 = std::chrono::steady_clock::now();
    if (!built.ok()) return Fail(built.status());
    train_s.push_back(Seconds(t0, t1));
    if (i == 0) {
      built->metadata.version = 1;
      built->metadata.model_sha256 = ml::Sha256Hex(built->model_json);
      model_json = built->model_json;
      forest_json = built->forest_json;
      built->metadata.forest_sha256 = forest_json.empty() ? "" : ml::Sha256Hex(forest_json);
      metadata_json = ml::MetadataToJson(built->metadata);
      std::string csv;
      for (auto n : ml::kFeatureNames) csv += std::string(n) + ",";
      csv += "band\n";
      for (int r = 0; r < built->data.rows(); ++r) {
        for (int c = 0; c < ml::kNumFeatures; ++c) {
          const float v = built->data.row(r)[c];
          if (!std::isnan(v)) csv += std::to_string(v);
          csv += ",";
        }
        csv += std::to_string(built->data.band[r]) + "\n";
      }
      if (Status s = WriteFileAtomically(PosixFileSystem::Get(), argv[2], csv); !s.ok()) return Fail(s);
    }
  }
  std::sort(train_s.begin(), train_s.end());

  auto clf = ml::IbuClassifier::FromFiles(model_json, metadata_json, forest_json);
  if (!clf.ok()) return Fail(clf.status());
  ml::Prediction p;
  std::vector<double> lat_us;
  const int kRounds = 20;
  for (int round = 0; round < kRounds + 1; ++round) {
    for (const auto& b : beers) {
      auto t0 = std::chrono::steady_clock::now();
      Status s = (*clf)->PredictInto(b, &p);
      auto t1 = std::chrono::steady_clock::now();
      if (!s.ok() && s.code() != StatusCode::kInvalidArgument) return Fail(s);
      if (round > 0) lat_us.push_back(Seconds(t0, t1) * 1e6);  // round 0 warms caches
    }
  }
  // The same rows through XGBoost's own in-place prediction (what IbuClassifier used before it compiled the trees).
  auto booster = ml::Booster::LoadJson(model_json);
  if (!booster.ok()) return Fail(booster.status());
  if (Status s = booster->SetParam("nthread", "1"); !s.ok()) return Fail(s);
  std::vector<double> xgb_us;
  std::vector<float> out;
  for (int round = 0; round < kRounds + 1; ++round) {
    for (const auto& b : beers) {
      float row[ml::kNumFeatures];
      ml::ComputeFeatures(b, row);
      auto t0 = std::chrono::steady_clock::now();
      Status s = booster->Predict(row, 1, ml::kNumFeatures, &out);
      auto t1 = std::chrono::steady_clock::now();
      if (!s.ok()) return Fail(s);
      if (round > 0) xgb_us.push_back(Seconds(t0, t1) * 1e6);
    }
  }
  std::sort(lat_us.begin(), lat_us.end());
  std::sort(xgb_us.begin(), xgb_us.end());
  auto pct = [](const std::vector<double>& v, double q) { return v[static_cast<size_t>(q * (v.size() - 1))]; };
  std::printf("{\"train_s_median\": %.4f, \"predict_us_p50\": %.2f, \"predict_us_p99\": %.2f, \"predictions\": %zu, "
              "\"rounds\": %d, \"rows\": %d, \"features\": %d, \"predictor\": \"%s\", \"xgb_c_us_p50\": %.2f, \"xgb_c_us_p99\": %.2f}\n",
              train_s[1], pct(lat_us, 0.5), pct(lat_us, 0.99), lat_us.size(), req.hp.rounds,
              (*clf)->metadata().training_rows, ml::kNumFeatures, std::string((*clf)->predictor()).c_str(), pct(xgb_us, 0.5),
              pct(xgb_us, 0.99));
  return 0;
}
