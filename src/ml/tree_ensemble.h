// TreeEnsemble: an XGBoost multi-class tree model compiled into flat arrays for single-row prediction.
//
// Why: serving predicts one beer per request. XGBoost's in-place prediction pays, per call, for parsing an
// array-interface JSON, setting up a proxy matrix and its thread-pool machinery, and it must be serialised per
// booster — about two thirds of /v1/predict's CPU went there. The compiled form keeps no mutable state, so any
// number of threads may call it at once without a lock.
//
// How: walking thousands of small trees node by node is a chain of dependent, unpredictable branches. Instead
// this follows QuickScorer (Lucchese et al., SIGIR 2015): every tree's leaves are numbered left to right and a
// tree's state is a 64-bit set of leaves still reachable. A split node that sends the row right rules out the
// leaves of its left subtree. Those "false" nodes are found per feature by scanning the feature's thresholds in
// ascending order while threshold <= x (x >= threshold is XGBoost's right branch), plus, for a missing value,
// the nodes whose default branch is right; each clears its mask from its tree's set. The exit leaf of every tree
// is then the lowest remaining bit. The scans are sequential and branch-predictable, and no tree walk is needed.
// Trees may have at most 64 leaves (XGBoost's max_depth 6, ours, gives at most 64).
//
// Supported: `gbtree` boosters with numerical splits and scalar leaves, objective `multi:softprob` or
// `multi:softmax` (what ml::Trainer produces), trees of up to 64 leaves. Anything else (dart, categorical splits,
// vector leaves, bigger trees, other objectives) is FailedPrecondition, and the caller keeps using XGBoost.
// Semantics follow XGBoost's CPU predictor: a missing (NaN) feature goes to the node's default child, otherwise
// `x < split` goes left; margins start at base_score and add each tree's leaf in float; probabilities are the
// softmax of margins. IbuClassifier cross-checks this against XGBoost on every load before trusting it.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::ml {

class TreeEnsemble {
 public:
  // Compiles the JSON that XGBoost's SaveModel writes ({"learner": …}).
  static Result<TreeEnsemble> FromXgboostJson(std::string_view model_json);

  int num_classes() const { return num_classes_; }
  int num_features() const { return num_features_; }
  int num_trees() const { return static_cast<int>(classes_.size()); }
  int num_nodes() const { return num_nodes_; }

  // `row` holds num_features() floats (NaN = missing); `margins` receives num_classes() raw scores.
  void PredictMargins(const float* row, float* margins) const;
  // The same, turned into probabilities that sum to 1 (XGBoost's softprob output).
  void PredictProbabilities(const float* row, float* probabilities) const;

  // The distinct thresholds the model splits `feature` on, ascending (for probing both sides of every split).
  std::vector<float> SplitThresholds(int feature) const;

 private:
  // Per feature, its split nodes sorted by threshold (three parallel arrays, so the scan reads only
  // thresholds until it stops): [feature_begin_[f], feature_begin_[f + 1]).
  std::vector<float> thresholds_;
  std::vector<uint32_t> node_tree_;
  std::vector<uint64_t> node_mask_;  // the tree's leaves NOT in this node's left subtree
  std::vector<uint32_t> feature_begin_;
  // Per feature, the split nodes whose missing value goes right: [missing_begin_[f], missing_begin_[f + 1]).
  std::vector<uint32_t> missing_tree_;
  std::vector<uint64_t> missing_mask_;
  std::vector<uint32_t> missing_begin_;
  // Per tree: its leaves' values left to right start at leaf_begin_[t]; the class it adds to.
  std::vector<float> leaf_values_;
  std::vector<uint32_t> leaf_begin_;
  std::vector<uint16_t> classes_;
  float base_score_ = 0;
  int num_classes_ = 0;
  int num_features_ = 0;
  int num_nodes_ = 0;
};

}  // namespace brewline::ml
