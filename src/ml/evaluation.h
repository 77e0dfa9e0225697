// Honest evaluation: repeated stratified k-fold cross-validation with fold assignments that can be exported,
// so scikit-learn baselines run on exactly the same folds (notebook, bench/ml).
// Thread-safe (pure functions); CrossValidate is CPU-bound and single-threaded by Hyperparameters::nthread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "ml/bands.h"
#include "ml/dataset.h"
#include "ml/trainer.h"

namespace brewline::ml {

// assignment[r][i] = fold (0..k-1) of row i in repeat r.
struct Folds {
  int k = 5;
  int repeats = 5;
  uint64_t seed = 0;
  std::vector<std::vector<int>> assignment;
};

// Each band's rows are shuffled (mt19937_64 seeded from seed and the repeat) and dealt round-robin, so every
// fold holds floor or ceil of count/k rows of every band. A band with fewer rows than folds is an
// InvalidArgument naming the band.
Result<Folds> MakeStratifiedFolds(const std::vector<int>& band, const Bands& bands, int k, int repeats,
                                  uint64_t seed);
// CSV "id,repeat,fold" (one line per row and repeat), for Python.
std::string FoldsCsv(const Dataset& data, const Folds& folds);

struct Metrics {
  int rows = 0;
  double accuracy = 0;
  double macro_f1 = 0;
  double within_one_band = 0;  // |predicted − true| ≤ 1 band
  std::vector<double> precision, recall, f1;  // per band (0 when undefined, as scikit-learn's zero_division=0)
  std::vector<std::vector<int>> confusion;    // [true][predicted]
};
Metrics ComputeMetrics(const std::vector<int>& truth, const std::vector<int>& predicted, int num_bands);

struct MeanStd {
  double mean = 0;
  double std = 0;
};

// One out-of-fold prediction.
struct OofPrediction {
  int repeat;
  int fold;
  int row;
  int predicted_band;
  double predicted_ibu;  // regression counterpart
};

struct CvReport {
  int k = 0, repeats = 0, rows = 0;
  MeanStd accuracy, macro_f1, within_one_band, mae_ibu, regression_band_macro_f1;
  Metrics pooled;  // metrics over all out-of-fold predictions of all repeats (confusion summed)
  std::vector<OofPrediction> oof;
};

struct CvOptions {
  bool regression = true;  // also fit the regression counterpart (MAE in IBU)
};

Result<CvReport> CrossValidate(const Dataset& data, const Bands& bands, const Folds& folds, const Hyperparameters& hp,
                               const CvOptions& options = {});

// The report as JSON (nlohmann) text, and a short human summary.
std::string CvReportJson(const CvReport& report, const Bands& bands);
std::string CvReportSummary(const CvReport& report, const Bands& bands);
// CSV of out-of-fold predictions: repeat,fold,id,name,ibu,band,predicted_band,predicted_ibu.
std::string OofCsv(const CvReport& report, const Dataset& data);

}  // namespace brewline::ml
