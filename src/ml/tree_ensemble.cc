#include "ml/tree_ensemble.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace brewline::ml {
namespace {

namespace sj = simdjson;

Status Unsupported(const std::string& what) {
  return FailedPrecondition("model.json: " + what + " (the compiled predictor handles gbtree multi-class models)");
}

Status Malformed(const std::string& what) { return Corruption("model.json: " + what); }

// XGBoost writes its scalar parameters as strings ("5E-1", "6").
Result<double> NumberParam(sj::dom::element parent, const char* key) {
  std::string_view text;
  if (parent[key].get_string().get(text)) return Malformed(std::string("no parameter ") + key);
  const std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0') return Malformed(std::string("parameter ") + key + " is not a number: " + s);
  return v;
}

template <typename T>
Status ReadArray(sj::dom::object tree, const char* key, std::vector<T>* out) {
  sj::dom::array a;
  if (tree[key].get_array().get(a)) return Malformed(std::string("a tree has no array ") + key);
  out->clear();
  out->reserve(a.size());
  for (sj::dom::element e : a) {
    if constexpr (std::is_floating_point_v<T>) {
      double v = 0;
      if (e.get_double().get(v)) return Malformed(std::string("non-number in ") + key);
      out->push_back(static_cast<T>(v));
    } else {
      int64_t v = 0;
      if (e.get_int64().get(v)) return Malformed(std::string("non-integer in ") + key);
      out->push_back(static_cast<T>(v));
    }
  }
  return Status::OK();
}

}  // namespace

Result<TreeEnsemble> TreeEnsemble::FromXgboostJson(std::string_view model_json) {
  sj::dom::parser parser;
  sj::padded_string padded(model_json);
  sj::dom::element doc;
  if (parser.parse(padded).get(doc)) return Malformed("not valid JSON");
  sj::dom::element learner;
  if (doc["learner"].get(learner)) return Malformed("no learner object");

  std::string_view objective;
  if (learner["objective"]["name"].get_string().get(objective)) return Malformed("no objective name");
  if (objective != "multi:softprob" && objective != "multi:softmax") {
    return Unsupported("objective " + std::string(objective));
  }
  sj::dom::element params;
  if (learner["learner_model_param"].get(params)) return Malformed("no learner_model_param");
  TreeEnsemble out;
  ASSIGN_OR_RETURN(double base_score, NumberParam(params, "base_score"));
  ASSIGN_OR_RETURN(double num_class, NumberParam(params, "num_class"));
  ASSIGN_OR_RETURN(double num_feature, NumberParam(params, "num_feature"));
  if (num_class < 2 || num_class > 65535 || num_feature < 1 || num_feature > 65535) {
    return Malformed("implausible num_class/num_feature");
  }
  out.base_score_ = static_cast<float>(base_score);
  out.num_classes_ = static_cast<int>(num_class);
  out.num_features_ = static_cast<int>(num_feature);

  sj::dom::element booster;
  if (learner["gradient_booster"].get(booster)) return Malformed("no gradient_booster");
  std::string_view booster_name;
  if (booster["name"].get_string().get(booster_name)) return Malformed("no booster name");
  if (booster_name != "gbtree") return Unsupported("booster " + std::string(booster_name));
  sj::dom::array trees, tree_info;
  if (booster["model"]["trees"].get_array().get(trees)) return Malformed("no trees");
  if (booster["model"]["tree_info"].get_array().get(tree_info)) return Malformed("no tree_info");
  if (trees.size() != tree_info.size()) return Malformed("tree_info and trees differ in length");

  for (sj::dom::element e : tree_info) {
    int64_t c = 0;
    if (e.get_int64().get(c) || c < 0 || c >= out.num_classes_) return Malformed("tree_info names an unknown class");
    out.classes_.push_back(static_cast<uint16_t>(c));
  }

  std::vector<int32_t> left, right;
  std::vector<int32_t> split_index;
  std::vector<double> split_condition;
  std::vector<int32_t> default_left, split_type;
  // Split nodes of every tree before sorting by feature and threshold.
  struct SplitNode {
    uint16_t feature;
    float threshold;
    uint32_t tree;
    uint64_t mask;
    bool missing_right;
  };
  std::vector<SplitNode> splits;
  std::vector<uint8_t> seen;
  for (sj::dom::element te : trees) {
    sj::dom::object tree;
    if (te.get_object().get(tree)) return Malformed("a tree is not an object");
    std::string_view leaf_vector = "0";
    if (!tree["tree_param"]["size_leaf_vector"].get_string().get(leaf_vector) && leaf_vector != "0") {
      return Unsupported("vector leaves");
    }
    RETURN_IF_ERROR(ReadArray(tree, "left_children", &left));
    RETURN_IF_ERROR(ReadArray(tree, "right_children", &right));
    RETURN_IF_ERROR(ReadArray(tree, "split_indices", &split_index));
    RETURN_IF_ERROR(ReadArray(tree, "split_conditions", &split_condition));
    RETURN_IF_ERROR(ReadArray(tree, "default_left", &default_left));
    split_type.clear();
    if (tree["split_type"].error() == sj::SUCCESS) RETURN_IF_ERROR(ReadArray(tree, "split_type", &split_type));
    const size_t n = left.size();
    if (n == 0 || right.size() != n || split_index.size() != n || split_condition.size() != n ||
        default_left.size() != n || (!split_type.empty() && split_type.size() != n)) {
      return Malformed("a tree's node arrays differ in length");
    }
    for (int32_t t : split_type) {
      if (t != 0) return Unsupported("categorical splits");
    }
    // A binary tree with at most 64 leaves has at most 127 nodes; refusing bigger arrays up front also bounds
    // the recursion below on malformed input.
    if (n > 127) return Unsupported("a tree with more than 64 leaves");
    const uint32_t tree_id = static_cast<uint32_t>(out.leaf_begin_.size());
    out.leaf_begin_.push_back(static_cast<uint32_t>(out.leaf_values_.size()));
    // Depth-first, left before right, so leaves are numbered left to right; each node is visited once (a
    // child id out of range or reached twice — a cycle or a shared node — is corruption). Returns the
    // subtree's first leaf number and one past its last.
    seen.assign(n, 0);
    int leaves = 0;
    Status bad;
    auto visit = [&](auto&& self, int32_t id) -> std::pair<int, int> {
      if (!bad.ok()) return {0, 0};
      if (id < 0 || static_cast<size_t>(id) >= n || seen[id]) {
        bad = Malformed("a tree's child links are broken");
        return {0, 0};
      }
      seen[id] = 1;
      if (left[id] == -1) {
        if (++leaves > 64) {
          bad = Unsupported("a tree with more than 64 leaves");
          return {0, 0};
        }
        out.leaf_values_.push_back(static_cast<float>(split_condition[id]));
        return {leaves - 1, leaves};
      }
      if (split_index[id] < 0 || split_index[id] >= out.num_features_) {
        bad = Malformed("split on an unknown feature");
        return {0, 0};
      }
      const auto [lo, mid] = self(self, left[id]);
      const auto [mid2, hi] = self(self, right[id]);
      (void)mid2;
      const int width = mid - lo;  // < 64: the right subtree holds at least one leaf
      const uint64_t left_leaves = ((uint64_t{1} << width) - 1) << lo;
      splits.push_back(SplitNode{static_cast<uint16_t>(split_index[id]), static_cast<float>(split_condition[id]),
                                 tree_id, ~left_leaves, default_left[id] == 0});
      return {lo, hi};
    };
    visit(visit, 0);
    if (!bad.ok()) return bad;
    out.num_nodes_ += static_cast<int>(n);
  }
  // Per feature, ascending thresholds; equal thresholds keep tree order (the masks commute anyway).
  std::stable_sort(splits.begin(), splits.end(), [](const SplitNode& a, const SplitNode& b) {
    return a.feature != b.feature ? a.feature < b.feature : a.threshold < b.threshold;
  });
  out.feature_begin_.assign(out.num_features_ + 1, 0);
  out.missing_begin_.assign(out.num_features_ + 1, 0);
  for (const SplitNode& sn : splits) {
    out.thresholds_.push_back(sn.threshold);
    out.node_tree_.push_back(sn.tree);
    out.node_mask_.push_back(sn.mask);
    ++out.feature_begin_[sn.feature + 1];
    if (sn.missing_right) {
      out.missing_tree_.push_back(sn.tree);
      out.missing_mask_.push_back(sn.mask);
      ++out.missing_begin_[sn.feature + 1];
    }
  }
  for (int f = 0; f < out.num_features_; ++f) {
    out.feature_begin_[f + 1] += out.feature_begin_[f];
    out.missing_begin_[f + 1] += out.missing_begin_[f];
  }
  if (out.leaf_begin_.empty()) return Malformed("the model has no trees");
  return out;
}

void TreeEnsemble::PredictMargins(const float* row, float* margins) const {
  // One reachable-leaf set per tree; per thread, so concurrent calls share nothing (allocated on a thread's
  // first call only).
  thread_local std::vector<uint64_t> reachable;
  const size_t trees = leaf_begin_.size();
  reachable.assign(trees, ~uint64_t{0});
  uint64_t* sets = reachable.data();
  for (int f = 0; f < num_features_; ++f) {
    const float x = row[f];
    if (std::isnan(x)) {
      for (uint32_t i = missing_begin_[f], end = missing_begin_[f + 1]; i < end; ++i) {
        sets[missing_tree_[i]] &= missing_mask_[i];
      }
      continue;
    }
    for (uint32_t i = feature_begin_[f], end = feature_begin_[f + 1]; i < end && thresholds_[i] <= x; ++i) {
      sets[node_tree_[i]] &= node_mask_[i];
    }
  }
  for (int c = 0; c < num_classes_; ++c) margins[c] = base_score_;
  for (size_t t = 0; t < trees; ++t) {
    margins[classes_[t]] += leaf_values_[leaf_begin_[t] + static_cast<uint32_t>(__builtin_ctzll(sets[t]))];
  }
}

void TreeEnsemble::PredictProbabilities(const float* row, float* probabilities) const {
  PredictMargins(row, probabilities);
  float max = probabilities[0];
  for (int c = 1; c < num_classes_; ++c) max = std::max(max, probabilities[c]);
  float sum = 0;
  for (int c = 0; c < num_classes_; ++c) {
    probabilities[c] = std::exp(probabilities[c] - max);
    sum += probabilities[c];
  }
  for (int c = 0; c < num_classes_; ++c) probabilities[c] /= sum;
}

std::vector<float> TreeEnsemble::SplitThresholds(int feature) const {
  std::vector<float> out(thresholds_.begin() + feature_begin_[feature], thresholds_.begin() + feature_begin_[feature + 1]);
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace brewline::ml
