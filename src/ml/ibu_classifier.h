// IbuClassifier: a registered model loaded for serving (CLI predict, the streaming scorer, the HTTP API): the
// boosted model, blended with its ExtraTrees forest when it has one (ml/trainer.h).
//
// Predict is thread-safe and, on the normal path, lock-free: the model is also compiled into a TreeEnsemble
// (ml/tree_ensemble.h), which every load cross-checks against XGBoost on probe rows that straddle every split
// threshold and take every missing-value branch; only when the two agree is the compiled form used. Otherwise
// (a model kind the compiler does not handle, or any disagreement) predictions go through XGBoost's in-place
// prediction, serialised by a mutex (it reuses a per-booster buffer), with nthread=1 so a single row pays no
// thread-pool start-up. PredictInto reuses the caller's Prediction, so a warm loop does not allocate.
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
#include "ml/extra_trees.h"
#include "ml/model_metadata.h"
#include "ml/tree_ensemble.h"
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
  // From the files' contents (checks the metadata's model_sha256 / forest_sha256 when set). `forest_json` is
  // required when the metadata names a forest (hyperparameters.forest_trees > 0) and ignored otherwise.
  static Result<std::unique_ptr<IbuClassifier>> FromFiles(std::string_view model_json, std::string_view metadata_json,
                                                          std::string_view forest_json = {});

  // Predicts one beer (its IBU is ignored). The data-problem handling used in training is applied first.
  // A beer with every measured feature missing is InvalidArgument.
  Result<Prediction> Predict(const beer::CleanedBeer& beer) const;
  Status PredictInto(const beer::CleanedBeer& beer, Prediction* out) const;

  // Total gain per feature over the model (features never split on are absent).
  Result<std::map<std::string, double>> FeatureGain() const;

  const ModelMetadata& metadata() const { return metadata_; }
  const Bands& bands() const { return metadata_.bands; }
  int version() const { return metadata_.version; }
  // "compiled" when predictions use the TreeEnsemble, else "xgboost"; why_not_compiled() says why.
  std::string_view predictor() const { return ensemble_ ? "compiled" : "xgboost"; }
  const std::string& why_not_compiled() const { return why_not_compiled_; }

 private:
  IbuClassifier(Booster booster, ModelMetadata metadata)
      : booster_(std::move(booster)), metadata_(std::move(metadata)) {}

  // The model's feature row for a cleaned beer (model_columns_ floats).
  void ModelRow(const beer::CleanedBeer& measures, std::string_view name, float* row) const;

  mutable std::mutex mu_;
  mutable Booster booster_;
  mutable std::vector<float> scratch_;  // guarded by mu_
  // Where each of the model's columns comes from in the full feature vector (ComputeFeatures); empty when the
  // model uses exactly kFeatureNames in order. Set once in FromFiles.
  std::vector<int> feature_index_;
  int model_columns_ = 0;
  std::optional<TreeEnsemble> ensemble_;  // set once in FromFiles, then read-only
  std::optional<ExtraTrees> forest_;      // the blend's second half; set once in FromFiles
  std::string why_not_compiled_;
  ModelMetadata metadata_;
};

}  // namespace brewline::ml
