#include "ml/ibu_classifier.h"

#include "ml/features.h"
#include "ml/model_registry.h"
#include "ml/trainer.h"

namespace brewline::ml {

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
  auto loaded = FromFiles(model, metadata);
  if (!loaded.ok()) return loaded.status().WithContext("model v" + std::to_string(v));
  return loaded;
}

Result<std::unique_ptr<IbuClassifier>> IbuClassifier::FromFiles(std::string_view model_json,
                                                                 std::string_view metadata_json) {
  ASSIGN_OR_RETURN(ModelMetadata metadata, MetadataFromJson(metadata_json));
  if (!metadata.model_sha256.empty() && Sha256Hex(model_json) != metadata.model_sha256) {
    return Corruption("model.json does not match the checksum in metadata.json (corrupt or replaced)");
  }
  ASSIGN_OR_RETURN(Booster booster, Booster::LoadJson(model_json));
  RETURN_IF_ERROR(booster.SetParam("nthread", "1"));
  std::unique_ptr<IbuClassifier> c(new IbuClassifier(std::move(booster), std::move(metadata)));
  // One warm-up prediction checks that the model's output matches the bands (and configures XGBoost now
  // rather than on the first real request).
  float row[kNumFeatures];
  beer::CleanedBeer probe;
  probe.abv = 5;
  ComputeFeatures(probe, row);
  RETURN_IF_ERROR(c->booster_.Predict(row, 1, kNumFeatures, &c->scratch_));
  if (static_cast<int>(c->scratch_.size()) != c->bands().count()) {
    return FailedPrecondition("model.json predicts " + std::to_string(c->scratch_.size()) +
                              " classes but metadata.json names " + std::to_string(c->bands().count()) + " bands");
  }
  return c;
}

Result<Prediction> IbuClassifier::Predict(const beer::CleanedBeer& beer) const {
  Prediction p;
  RETURN_IF_ERROR(PredictInto(beer, &p));
  return p;
}

Status IbuClassifier::PredictInto(const beer::CleanedBeer& input, Prediction* out) const {
  // Copy only the measures (not the name) so the hot path does not allocate.
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
  ComputeFeatures(b, row);
  const int k = bands().count();
  {
    std::lock_guard<std::mutex> lock(mu_);
    RETURN_IF_ERROR(booster_.Predict(row, 1, kNumFeatures, &scratch_));
    out->probabilities.assign(scratch_.begin(), scratch_.begin() + k);
  }
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
