// IbuClassifier: a registered model loaded for serving (CLI predict, the streaming scorer, the HTTP API).
//
// Predict is thread-safe: the row's features go into a stack buffer and the XGBoost call is serialised by a
// mutex (XGBoost's in-place prediction reuses a per-booster buffer). The booster runs with nthread=1 so a
// single row pays no thread-pool start-up. Call sites that need more throughput keep one IbuClassifier per
// thread. PredictInto reuses the caller's Prediction, so a warm loop does not allocate.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "beer/beer.h"
#include "common/result.h"
#include "ml/bands.h"
#include "ml/booster.h"
#include "ml/model_metadata.h"
#include "store/object_store.h"

namespace brewline::ml {

struct Prediction {
  int band = 0;
  double band_low = 0;
  double band_high = 0;              // +inf for the last band
  std::vector<float> probabilities;  // per band, after the prior correction, summing to 1
  int version = 0;                   // the model version that made it
};

class IbuClassifier {
 public:
  // Loads `latest`, or a given version, from bucket `models`. Errors: NotFound (no model / no version),
  // Corruption (model.json altered, truncated or not a model), FailedPrecondition (incompatible metadata).
  static Result<std::unique_ptr<IbuClassifier>> Load(store::ObjectStore& store, std::optional<int> version = {});
  // From the two files' contents (checks the metadata's model_sha256 when set).
  static Result<std::unique_ptr<IbuClassifier>> FromFiles(std::string_view model_json, std::string_view metadata_json);

  // Predicts one beer (its IBU is ignored). The data-problem handling used in training is applied first.
  // A beer with every measured feature missing is InvalidArgument.
  Result<Prediction> Predict(const beer::CleanedBeer& beer) const;
  Status PredictInto(const beer::CleanedBeer& beer, Prediction* out) const;

  // Total gain per feature over the model (features never split on are absent).
  Result<std::map<std::string, double>> FeatureGain() const;

  const ModelMetadata& metadata() const { return metadata_; }
  const Bands& bands() const { return metadata_.bands; }
  int version() const { return metadata_.version; }

 private:
  IbuClassifier(Booster booster, ModelMetadata metadata)
      : booster_(std::move(booster)), metadata_(std::move(metadata)) {}

  mutable std::mutex mu_;
  mutable Booster booster_;
  mutable std::vector<float> scratch_;  // guarded by mu_
  ModelMetadata metadata_;
};

}  // namespace brewline::ml
