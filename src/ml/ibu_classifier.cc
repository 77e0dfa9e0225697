#include "ml/ibu_classifier.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "ml/features.h"
#include "ml/model_registry.h"
#include "ml/trainer.h"

namespace brewline::ml {
namespace {

// Probe rows for the load-time cross-check: for each feature, values just below, at and above its split
// thresholds (x < t goes left, so t itself goes right), or missing; mixed across features by a fixed
// linear congruential sequence so every load checks the same rows.
std::vector<float> ProbeRows(const TreeEnsemble& ensemble, int rows) {
  const int cols = ensemble.num_features();
  std::vector<std::vector<float>> values(cols);
  for (int f = 0; f < cols; ++f) {
    for (float t : ensemble.SplitThresholds(f)) {
      values[f].push_back(std::nextafter(t, -INFINITY));
      values[f].push_back(t);
      values[f].push_back(std::nextafter(t, INFINITY));
    }
    values[f].push_back(NAN);
  }
  std::vector<float> out(static_cast<size_t>(rows) * cols);
  uint64_t state = 0x9E3779B97F4A7C15ULL;
  for (int r = 0; r < rows; ++r) {
    for (int f = 0; f < cols; ++f) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const std::vector<float>& v = values[f];
      // Row 0 is all-missing; otherwise about one value in eight is missing.
      const bool missing = r == 0 || (state >> 61) == 0;
      out[static_cast<size_t>(r) * cols + f] = missing ? NAN : v[(state >> 33) % v.size()];
    }
  }
  return out;
}

// Compiles the model and checks it against XGBoost itself; the reason when it cannot be used.
Result<TreeEnsemble> CompileAndVerify(std::string_view model_json, Booster& booster, int num_classes, int columns) {
  ASSIGN_OR_RETURN(TreeEnsemble ensemble, TreeEnsemble::FromXgboostJson(model_json));
  if (ensemble.num_classes() != num_classes || ensemble.num_features() != columns) {
    return FailedPrecondition("compiled model shape differs from the booster's");
  }
  constexpr int kRows = 256;
  const std::vector<float> rows = ProbeRows(ensemble, kRows);
  std::vector<float> expected;
  RETURN_IF_ERROR(booster.Predict(rows.data(), kRows, columns, &expected));
  if (expected.size() != static_cast<size_t>(kRows) * num_classes) {
    return FailedPrecondition("booster returned an unexpected shape for the probe rows");
  }
  std::vector<float> got(num_classes);
  for (int r = 0; r < kRows; ++r) {
    ensemble.PredictProbabilities(&rows[static_cast<size_t>(r) * columns], got.data());
    for (int c = 0; c < num_classes; ++c) {
      // Float sums in another order differ in the last bits; anything larger is a real disagreement.
      if (std::fabs(got[c] - expected[static_cast<size_t>(r) * num_classes + c]) > 1e-5f) {
        return FailedPrecondition("compiled predictor disagrees with xgboost on probe row " + std::to_string(r));
      }
    }
  }
  return ensemble;
}

}  // namespace

Result<std::unique_ptr<IbuClassifier>> IbuClassifier::Load(store::ObjectStore& store, std::optional<int> version) {
  ModelRegistry registry(store);
  int v = 0;
  if (version) {
    v = *version;
  } else {
    ASSIGN_OR_RETURN(v, registry.LatestVersion());
  }
  ASSIGN_OR_RETURN(std::string metadata, registry.GetMetadataJson(v));
  ASSIGN_OR_RETURN(std::string model, registry.GetModelJson(v));
  std::string forest;
  // Fetched only when the metadata names a forest; an unreadable metadata.json is reported by FromFiles.
  auto parsed = MetadataFromJson(metadata);
  if (parsed.ok() && parsed->hyperparameters.forest_trees > 0) {
    ASSIGN_OR_RETURN(forest, registry.GetForestJson(v));
  }
  auto loaded = FromFiles(model, metadata, forest);
  if (!loaded.ok()) return loaded.status().WithContext("model v" + std::to_string(v));
  return loaded;
}

Result<std::unique_ptr<IbuClassifier>> IbuClassifier::FromFiles(std::string_view model_json,
                                                                 std::string_view metadata_json,
                                                                 std::string_view forest_json) {
  ASSIGN_OR_RETURN(ModelMetadata metadata, MetadataFromJson(metadata_json));
  if (!metadata.model_sha256.empty() && Sha256Hex(model_json) != metadata.model_sha256) {
    return Corruption("model.json does not match the checksum in metadata.json (corrupt or replaced)");
  }
  std::optional<ExtraTrees> forest;
  if (metadata.hyperparameters.forest_trees > 0) {
    if (forest_json.empty()) return FailedPrecondition("metadata.json names a forest but no forest.json was given");
    if (!metadata.forest_sha256.empty() && Sha256Hex(forest_json) != metadata.forest_sha256) {
      return Corruption("forest.json does not match the checksum in metadata.json (corrupt or replaced)");
    }
    ASSIGN_OR_RETURN(forest, ExtraTrees::FromJson(forest_json));
    if (forest->num_classes() != metadata.bands.count() ||
        forest->num_columns() != static_cast<int>(metadata.features.size())) {
      return FailedPrecondition("forest.json has " + std::to_string(forest->num_classes()) + " classes and " +
                                std::to_string(forest->num_columns()) + " columns; metadata.json names " +
                                std::to_string(metadata.bands.count()) + " bands and " +
                                std::to_string(metadata.features.size()) + " features");
    }
  }
  ASSIGN_OR_RETURN(Booster booster, Booster::LoadJson(model_json));
  RETURN_IF_ERROR(booster.SetParam("nthread", "1"));
  std::unique_ptr<IbuClassifier> c(new IbuClassifier(std::move(booster), std::move(metadata)));
  c->forest_ = std::move(forest);
  // The model's columns by name (MetadataFromJson checked that each is a feature this build computes).
  const std::vector<std::string>& names = c->metadata_.features;
  c->model_columns_ = static_cast<int>(names.size());
  bool identity = c->model_columns_ == kNumFeatures;
  for (int i = 0; i < c->model_columns_; ++i) {
    const int at = static_cast<int>(std::find(kFeatureNames.begin(), kFeatureNames.end(), names[i]) - kFeatureNames.begin());
    c->feature_index_.push_back(at);
    identity = identity && at == i;
  }
  if (identity) c->feature_index_.clear();
  // One warm-up prediction checks that the model's output matches the bands (and configures XGBoost now
  // rather than on the first real request).
  float row[kNumFeatures];
  beer::CleanedBeer probe;
  probe.abv = 5;
  c->ModelRow(probe, "", row);
  RETURN_IF_ERROR(c->booster_.Predict(row, 1, c->model_columns_, &c->scratch_));
  if (static_cast<int>(c->scratch_.size()) != c->bands().count()) {
    return FailedPrecondition("model.json predicts " + std::to_string(c->scratch_.size()) +
                              " classes but metadata.json names " + std::to_string(c->bands().count()) + " bands");
  }
  auto compiled = CompileAndVerify(model_json, c->booster_, c->bands().count(), c->model_columns_);
  if (compiled.ok()) {
    c->ensemble_ = std::move(*compiled);
  } else {
    c->why_not_compiled_ = compiled.status().message();
  }
  return c;
}

Result<Prediction> IbuClassifier::Predict(const beer::CleanedBeer& beer) const {
  Prediction p;
  RETURN_IF_ERROR(PredictInto(beer, &p));
  return p;
}

void IbuClassifier::ModelRow(const beer::CleanedBeer& measures, std::string_view name, float* row) const {
  if (feature_index_.empty()) return ComputeFeatures(measures, name, row);
  float all[kNumFeatures];
  ComputeFeatures(measures, name, all);
  for (int i = 0; i < model_columns_; ++i) row[i] = all[feature_index_[i]];
}

Status IbuClassifier::PredictInto(const beer::CleanedBeer& input, Prediction* out) const {
  // Copy only the measures (the name is passed by view) so the hot path does not allocate.
  beer::CleanedBeer b;
  b.id = input.id;
  b.abv = input.abv;
  b.target_fg = input.target_fg;
  b.target_og = input.target_og;
  b.ebc = input.ebc;
  b.srm = input.srm;
  b.ph = input.ph;
  CleanBeer(b, metadata_.cleaning, nullptr);
  if (AllFeaturesMissing(b)) {
    return InvalidArgument("beer " + std::to_string(b.id) +
                           ": every feature (abv, target_fg, target_og, ebc, srm, ph) is missing; nothing to "
                           "predict from");
  }
  float row[kNumFeatures];
  ModelRow(b, input.name, row);
  const int k = bands().count();
  if (ensemble_) {
    out->probabilities.resize(k);
    ensemble_->PredictProbabilities(row, out->probabilities.data());
  } else {
    std::lock_guard<std::mutex> lock(mu_);
    RETURN_IF_ERROR(booster_.Predict(row, 1, model_columns_, &scratch_));
    out->probabilities.assign(scratch_.begin(), scratch_.begin() + k);
  }
  if (forest_) BlendForest(*forest_, metadata_.hyperparameters.forest_weight, row, out->probabilities.data());
  out->band = DecideBand(metadata_.correction, out->probabilities.data(), k);
  out->band_low = bands().low(out->band);
  out->band_high = bands().high(out->band);
  out->version = metadata_.version;
  return Status::OK();
}

}  // namespace brewline::ml

namespace brewline::ml {

Result<std::map<std::string, double>> IbuClassifier::FeatureGain() const {
  std::lock_guard<std::mutex> lock(mu_);
  return booster_.FeatureGain(metadata_.features);
}

}  // namespace brewline::ml
