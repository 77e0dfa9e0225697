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
#include <string>
#include <vector>

#include "common/result.h"
#include "ml/bands.h"
#include "ml/booster.h"
#include "ml/dataset.h"

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
  double prior_correction = 0.6;
  uint64_t seed = 0;
  int nthread = 1;  // fixed, so results do not depend on the machine
};

// A trained classifier: the booster plus what turns its probabilities into a band.
struct TrainedClassifier {
  Booster booster;
  std::vector<double> correction;  // per band, multiplies the raw probability (already normalised to sum 1)
  std::vector<int> band_counts;    // training rows per band
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

// Applies the correction to raw probabilities in place and returns the argmax band.
int DecideBand(const std::vector<double>& correction, float* probabilities, int num_bands);

}  // namespace brewline::ml
