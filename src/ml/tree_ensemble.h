// TreeEnsemble: an XGBoost multi-class tree model compiled into flat arrays for single-row prediction.
//
// Why: serving predicts one beer per request. XGBoost's in-place prediction pays, per call, for parsing an
// array-interface JSON, setting up a proxy matrix and its thread-pool machinery, and it must be serialised per
// booster — about two thirds of /v1/predict's CPU went there. The compiled form keeps no mutable state, so any
// number of threads may call it at once without a lock and without allocating. Walking one small tree is a
// chain of dependent loads (node → child → …), so a tree at a time leaves the core waiting on memory; instead
// trees are sorted by depth and walked kLanes at a time, one level per step for all lanes (a leaf points at
// itself, so a lane that is done just stays put). The lanes' loads are independent and overlap.
//
// Supported: `gbtree` boosters with numerical splits and scalar leaves, objective `multi:softprob` or
// `multi:softmax` (what ml::Trainer produces). Anything else (dart, categorical splits, vector leaves, other
// objectives) is FailedPrecondition, and the caller keeps using XGBoost. Semantics follow XGBoost's CPU
// predictor exactly: a missing (NaN) feature goes to the node's default child, otherwise `x < split` goes left;
// margins start at base_score and accumulate in float in tree order; probabilities are the softmax of margins.
// IbuClassifier cross-checks the two on every load before trusting this path.
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
  int num_trees() const { return static_cast<int>(roots_.size()); }
  int num_nodes() const { return static_cast<int>(nodes_.size()); }

  // `row` holds num_features() floats (NaN = missing); `margins` receives num_classes() raw scores.
  void PredictMargins(const float* row, float* margins) const;
  // The same, turned into probabilities that sum to 1 (XGBoost's softprob output).
  void PredictProbabilities(const float* row, float* probabilities) const;

  // The distinct thresholds the model splits `feature` on, ascending (for probing both sides of every split).
  std::vector<float> SplitThresholds(int feature) const;

 private:
  static constexpr int kLanes = 32;

  // 12 bytes; a split node's right child is `left + 1`; a leaf's `left` is its own index.
  struct Node {
    float value;           // split threshold, or the leaf's value
    int32_t left;          // index of the left child in nodes_ (a leaf: itself)
    uint16_t feature;      // feature index (0 for leaves: read, never used)
    uint8_t split;         // 1 for a split node, 0 for a leaf
    uint8_t missing_right; // 1 when a missing value goes to the right child
  };

  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;      // per tree, index of its root in nodes_, trees sorted by depth
  std::vector<uint16_t> classes_;   // per tree (same order), the class it adds to
  std::vector<uint8_t> chunk_depth_;  // per run of kLanes trees, the deepest tree's depth (levels to walk)
  float base_score_ = 0;
  int num_classes_ = 0;
  int num_features_ = 0;
};

}  // namespace brewline::ml
