// Training the IBU band classifier (and its regression counterpart) with XGBoost, deterministically for a seed.
//
// The decision rule, and why: six bands are imbalanced (17 rows in [0,20) against 82 in [20,40) on
// punkapi-db) and the goal metric is macro-F1, which weighs every band equally. Two knobs correct for that:
// - class_weight_power w: training rows are weighted (n / (k·count_band))^w (0 = unweighted, 1 = balanced);
// - prior_correction a: predicted probabilities are multiplied by (1/count_band)^a and renormalised, moving
//   decisions toward rare bands (a = 0 is the plain argmax).
// Both are hyperparameters chosen by cross-validation on different fold seeds from the reported ones
// (docs/model.md). Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "ml/bands.h"
#include "ml/booster.h"
#include "ml/dataset.h"
#include "ml/extra_trees.h"

namespace brewline::ml {

struct Hyperparameters {
  double eta = 0.05;
  int max_depth = 6;
  double subsample = 0.6;
  double colsample_bytree = 0.7;
  double min_child_weight = 4;
  double lambda = 10;
  double gamma = 0.1;
  int rounds = 400;
  double class_weight_power = 0.5;
  double prior_correction = 0.3;
  // The ExtraTrees half of the blend (ml/extra_trees.h), trained on the same rows with balanced class weights;
  // forest_trees = 0 means the boosted model alone. Probabilities are (1 − w)·boosted + w·forest.
  int forest_trees = 300;
  double forest_max_features = 0.5;
  int forest_min_samples_leaf = 2;
  double forest_weight = 0.5;
  uint64_t seed = 0;
  int nthread = 1;  // fixed, so results do not depend on the machine
};

// A trained classifier: the booster, the forest blended with it, and what turns probabilities into a band.
struct TrainedClassifier {
  Booster booster;
  std::optional<ExtraTrees> forest;  // absent when hp.forest_trees == 0
  double forest_weight = 0;
  std::vector<double> correction;  // per band, multiplies the raw probability (already normalised to sum 1)
  std::vector<int> band_counts;    // training rows per band

  // Blended probabilities for `rows` rows of kNumFeatures features into *out (rows × bands).
  Status PredictProbabilities(const float* features, int rows, std::vector<float>* out) const;
};

// XGBoost parameters for the multi-class model / the regression counterpart.
BoosterParams ClassifierParams(const Hyperparameters& hp, int num_bands);
BoosterParams RegressorParams(const Hyperparameters& hp);

// Trains on the given rows of `data` (all rows when `rows` is empty). Every band must have at least one row
// (InvalidArgument naming the band otherwise).
Result<TrainedClassifier> TrainClassifier(const Dataset& data, const std::vector<int>& rows, const Bands& bands,
                                          const Hyperparameters& hp);
// Regression on IBU (absolute error), the counterpart compared with public regression solutions.
Result<Booster> TrainRegressor(const Dataset& data, const std::vector<int>& rows, const Hyperparameters& hp);

// The forest's parameters from the hyperparameters.
ExtraTreesParams ForestParams(const Hyperparameters& hp);
// (1 − w)·boosted + w·forest, in place on the boosted probabilities of one row.
void BlendForest(const ExtraTrees& forest, double w, const float* row, float* probabilities);

// Applies the correction to raw probabilities in place and returns the argmax band.
int DecideBand(const std::vector<double>& correction, float* probabilities, int num_bands);

}  // namespace brewline::ml
