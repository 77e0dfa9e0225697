// From cleaned beers to a publishable model: dataset, optional cross-validation, final fit, metadata.
// Shared by `brewline model train`, the Python bindings and tests. Thread-safe (pure function).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "beer/beer.h"
#include "common/result.h"
#include "ml/bands.h"
#include "ml/evaluation.h"
#include "ml/features.h"
#include "ml/model_metadata.h"
#include "ml/trainer.h"

namespace brewline::ml {

struct TrainRequest {
  Bands bands;
  CleaningOptions cleaning;
  Hyperparameters hp;
  bool evaluate = true;  // run CV first and store its report in the metadata
  int folds = 5;
  int repeats = 5;
};

struct TrainOutcome {
  std::string model_json;
  std::string forest_json;  // empty when hp.forest_trees == 0
  ModelMetadata metadata;  // version and model_sha256 are filled in by ModelRegistry::Publish
  std::optional<CvReport> cv;
  Dataset data;
};

Result<TrainOutcome> BuildModel(const std::vector<beer::CleanedBeer>& beers, const TrainRequest& request,
                                int64_t now_ms);

// The brewline version compiled in ("0.1.0").
std::string BrewlineVersion();

}  // namespace brewline::ml
