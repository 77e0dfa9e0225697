// metadata.json of a registered model: what a loader needs to check compatibility, and what a reader needs to
// trust the model (metrics, data fingerprint, versions). Format documented in docs/model.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ml/bands.h"
#include "ml/features.h"
#include "ml/trainer.h"

namespace brewline::ml {

inline constexpr std::string_view kModelFormat = "brewline-ibu-classifier";
// 2 added the ExtraTrees half of the blend (forest.json, forest_* hyperparameters, forest_sha256); version 1
// files still load, as boosted-only models.
inline constexpr int kModelFormatVersion = 2;

struct ModelMetadata {
  int version = 0;  // registry version N (v<N>)
  std::string created_at;  // ISO 8601 UTC
  Bands bands;
  std::vector<std::string> features;
  Hyperparameters hyperparameters;
  CleaningOptions cleaning;
  std::vector<double> correction;
  std::vector<int> band_counts;
  int training_rows = 0;
  std::string data_fingerprint;
  std::string model_sha256;      // of model.json, checked on load
  std::string forest_sha256;     // of forest.json, checked on load; empty when the model has no forest
  std::string metrics_json;      // the CV report (CvReportJson) or "null" when not evaluated
  std::string xgboost_version;
  std::string brewline_version;
};

std::string MetadataToJson(const ModelMetadata& m);
// Parses and checks compatibility: format name and version (1 or 2), the feature list equal to kFeatureNames, the
// correction and counts sized to the bands. Errors are Corruption (unreadable) or FailedPrecondition
// (readable but incompatible), each naming the problem.
Result<ModelMetadata> MetadataFromJson(std::string_view json);

// Hex SHA-256 of bytes.
std::string Sha256Hex(std::string_view data);

}  // namespace brewline::ml
