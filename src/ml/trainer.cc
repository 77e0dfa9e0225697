#include "ml/trainer.h"

#include <cmath>
#include <numeric>

namespace brewline::ml {
namespace {

std::string Num(double v) { return FormatNumber(v); }

BoosterParams CommonParams(const Hyperparameters& hp) {
  return {
      {"booster", "gbtree"},
      {"tree_method", "hist"},
      {"eta", Num(hp.eta)},
      {"max_depth", std::to_string(hp.max_depth)},
      {"subsample", Num(hp.subsample)},
      {"colsample_bytree", Num(hp.colsample_bytree)},
      {"min_child_weight", Num(hp.min_child_weight)},
      {"lambda", Num(hp.lambda)},
      {"gamma", Num(hp.gamma)},
      {"seed", std::to_string(hp.seed)},
      {"nthread", std::to_string(hp.nthread)},
      {"verbosity", "0"},
  };
}

std::vector<int> AllRows(const Dataset& data, const std::vector<int>& rows) {
  if (!rows.empty()) return rows;
  std::vector<int> all(data.rows());
  std::iota(all.begin(), all.end(), 0);
  return all;
}

std::vector<float> Gather(const Dataset& data, const std::vector<int>& rows) {
  std::vector<float> x;
  x.reserve(rows.size() * kNumFeatures);
  for (int r : rows) x.insert(x.end(), data.row(r), data.row(r) + kNumFeatures);
  return x;
}

}  // namespace

BoosterParams ClassifierParams(const Hyperparameters& hp, int num_bands) {
  BoosterParams p = CommonParams(hp);
  p.push_back({"objective", "multi:softprob"});
  p.push_back({"num_class", std::to_string(num_bands)});
  return p;
}

BoosterParams RegressorParams(const Hyperparameters& hp) {
  BoosterParams p = CommonParams(hp);
  p.push_back({"objective", "reg:absoluteerror"});
  return p;
}

Result<TrainedClassifier> TrainClassifier(const Dataset& data, const std::vector<int>& subset, const Bands& bands,
                                          const Hyperparameters& hp) {
  const std::vector<int> rows = AllRows(data, subset);
  const int k = bands.count();
  std::vector<int> counts(k, 0);
  for (int r : rows) counts[data.band[r]]++;
  for (int b = 0; b < k; ++b) {
    if (counts[b] == 0) {
      return InvalidArgument("band " + bands.label(b) + " has no training rows; choose other band edges");
    }
  }
  std::vector<float> labels, weights;
  for (int r : rows) {
    labels.push_back(static_cast<float>(data.band[r]));
    const double balanced = static_cast<double>(rows.size()) / (k * counts[data.band[r]]);
    weights.push_back(static_cast<float>(std::pow(balanced, hp.class_weight_power)));
  }
  const std::vector<float> x = Gather(data, rows);
  ASSIGN_OR_RETURN(Booster booster, Booster::Train(x, static_cast<int>(rows.size()), kNumFeatures, labels, weights,
                                                   ClassifierParams(hp, k), hp.rounds));
  TrainedClassifier out{std::move(booster), std::nullopt, 0, std::vector<double>(k), counts};
  if (hp.forest_trees > 0) {
    std::vector<int> forest_labels;
    std::vector<double> forest_weights;
    for (int r : rows) {
      forest_labels.push_back(data.band[r]);
      forest_weights.push_back(static_cast<double>(rows.size()) / (k * counts[data.band[r]]));
    }
    std::vector<ColumnTransform> transforms;
    for (std::string_view name : kFeatureNames) transforms.push_back(ExtraTrees::TransformFor(name));
    ASSIGN_OR_RETURN(out.forest, ExtraTrees::Train(x.data(), static_cast<int>(rows.size()), kNumFeatures,
                                                   forest_labels, forest_weights, k, transforms, ForestParams(hp)));
    out.forest_weight = hp.forest_weight;
  }
  for (int b = 0; b < k; ++b) out.correction[b] = std::pow(1.0 / counts[b], hp.prior_correction);
  return out;
}

Result<Booster> TrainRegressor(const Dataset& data, const std::vector<int>& subset, const Hyperparameters& hp) {
  const std::vector<int> rows = AllRows(data, subset);
  std::vector<float> labels;
  for (int r : rows) labels.push_back(static_cast<float>(data.ibu[r]));
  return Booster::Train(Gather(data, rows), static_cast<int>(rows.size()), kNumFeatures, labels, {},
                        RegressorParams(hp), hp.rounds);
}

ExtraTreesParams ForestParams(const Hyperparameters& hp) {
  return {hp.forest_trees, hp.forest_max_features, hp.forest_min_samples_leaf, hp.seed};
}

void BlendForest(const ExtraTrees& forest, double w, const float* row, float* p) {
  float f[64];
  forest.PredictProbabilities(row, f);
  for (int c = 0; c < forest.num_classes(); ++c) p[c] = static_cast<float>((1 - w) * p[c] + w * f[c]);
}

Status TrainedClassifier::PredictProbabilities(const float* features, int rows, std::vector<float>* out) const {
  RETURN_IF_ERROR(booster.Predict(features, rows, kNumFeatures, out));
  if (!forest) return Status::OK();
  const int k = forest->num_classes();
  if (out->size() != static_cast<size_t>(rows) * k) return Internal("booster and forest disagree on the bands");
  for (int r = 0; r < rows; ++r) {
    BlendForest(*forest, forest_weight, features + static_cast<size_t>(r) * kNumFeatures, out->data() + static_cast<size_t>(r) * k);
  }
  return Status::OK();
}

int DecideBand(const std::vector<double>& correction, float* p, int k) {
  double total = 0;
  for (int b = 0; b < k; ++b) total += p[b] * correction[b];
  int best = 0;
  for (int b = 0; b < k; ++b) {
    p[b] = total > 0 ? static_cast<float>(p[b] * correction[b] / total) : p[b];
    if (p[b] > p[best]) best = b;
  }
  return best;
}

}  // namespace brewline::ml
