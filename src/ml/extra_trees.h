// ExtraTrees: an extremely randomised trees classifier (Geurts, Ernst & Wehenkel 2006), the second half of
// the IBU classifier's blend (docs/model.md). XGBoost has no such mode and no Debian-packaged C++ library
// offers one that also gives us the trees to serve, so it lives here, deterministic for a seed.
//
// The model owns its input transform, fitted on the training rows: per column a fixed monotone transform
// (log1p of right-skewed measures, a clip of ratios with absurd outliers), then the training median for a
// missing value plus a 0/1 "was missing" column for every column that had a missing value in training. Split
// thresholds are drawn uniformly between a node's minimum and maximum, so the transforms change which
// thresholds are likely; that, not scale, is why they exist.
//
// Training follows scikit-learn's ExtraTreesClassifier with bootstrap off (every tree sees every row): at a
// node, features are visited in random order, `max_features` of them (more while every one visited was
// constant in the node); each non-constant one gets one uniform random threshold; a threshold leaving fewer
// than `min_samples_leaf` rows on a side is skipped; the best by weighted Gini impurity wins. Leaves hold the
// weighted class distribution; a prediction is the mean over trees.
//
// Prediction walks a compiled copy of the trees: 8-byte nodes with siblings adjacent, trees sorted by depth
// and walked kLanes at a time in lockstep for a fixed number of steps, so that the lanes' memory loads
// overlap and there is no data-dependent branch (a leaf points at itself, with an infinite threshold).
//
// Thread-safety: Train is a pure function; a trained or loaded ExtraTrees is immutable and
// PredictProbabilities is safe from any number of threads. It does not allocate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::ml {

struct ExtraTreesParams {
  int trees = 300;
  double max_features = 0.5;  // fraction of the (transformed) columns tried per split, at least one
  int min_samples_leaf = 2;
  uint64_t seed = 0;
};

// The transform applied to one model column before the forest sees it.
enum class ColumnTransform { kIdentity, kLog1p, kClip0To4 };

class ExtraTrees {
 public:
  // The transform this model family uses for a feature of that name (ml/features.h names).
  static ColumnTransform TransformFor(std::string_view feature_name);

  // Trains on `rows` × `cols` row-major features (NaN = missing), labels in [0, classes), per-row weights
  // (empty = 1). `transforms` has one entry per column. InvalidArgument on shape errors or a bad label.
  static Result<ExtraTrees> Train(const float* features, int rows, int cols, const std::vector<int>& labels,
                                  const std::vector<double>& weights, int classes,
                                  const std::vector<ColumnTransform>& transforms,
                                  const ExtraTreesParams& params);

  // Writes `num_classes()` probabilities (summing to 1) for one row of `num_columns()` model features.
  void PredictProbabilities(const float* row, float* out) const;

  // Self-contained JSON (format "brewline-extra-trees", version 1); floats round-trip exactly.
  std::string ToJson() const;
  // Corruption on unreadable text, FailedPrecondition on a structurally invalid forest (bad child index,
  // cycle, feature out of range, leaf distribution of the wrong size), each naming the problem.
  static Result<ExtraTrees> FromJson(std::string_view json);

  int num_classes() const { return classes_; }
  int num_columns() const { return static_cast<int>(transforms_.size()); }
  int num_trees() const { return static_cast<int>(roots_.size()); }
  size_t num_nodes() const { return nodes_.size(); }

 private:
  // A split node, or a leaf when feature < 0 (then `left` indexes leaf_values_ in steps of classes_).
  struct Node {
    int32_t feature;
    float threshold;  // x <= threshold goes left
    int32_t left;
    int32_t right;
  };
  // The compiled form (see the file comment): right child = left + 1; a leaf is a self-loop whose leaf value
  // row is leaf_row_[node].
  struct Packed {
    float threshold;  // +inf on a leaf
    uint32_t meta;    // feature in the low 8 bits, the left child's index relative to the tree's base above
  };
  static constexpr int kLanes = 8;
  class Builder;

  // Builds the compiled form from nodes_/roots_; FailedPrecondition when the nodes are not a forest (a node
  // with two parents) or a tree is too large to compile (over 2^24 nodes).
  Status Compile();

  // Model columns → the forest's input row (transformed, imputed, then the missing indicators).
  void Prepare(const float* row, float* out) const;
  int input_width() const { return static_cast<int>(transforms_.size() + indicator_of_.size()); }

  int classes_ = 0;
  std::vector<ColumnTransform> transforms_;
  std::vector<float> medians_;         // per model column, after the transform (NaN when never seen)
  std::vector<int32_t> indicator_of_;  // model columns that get a "was missing" input, in input order
  std::vector<int32_t> roots_;
  std::vector<Node> nodes_;
  std::vector<float> leaf_values_;

  std::vector<Packed> packed_;
  std::vector<uint32_t> leaf_row_;  // per packed node: its leaf's row in leaf_values_ (leaves only)
  std::vector<uint32_t>
      tree_base_;  // per compiled tree (sorted by depth, padded to kLanes), first packed node
  std::vector<uint16_t> group_steps_;  // per group of kLanes compiled trees: the deepest tree's depth
  int last_group_lanes_ = kLanes;      // real trees in the last group
};

}  // namespace brewline::ml
