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
  std::vector<int32_t> remap;  // old node id → index in nodes_
  std::vector<int> depth;      // old node id → its depth
  std::vector<int> tree_depth;
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
    // Breadth-first from the root, giving each split's two children adjacent slots. Each node is placed
    // once; a child id out of range or reached twice (a cycle or shared node) is corruption.
    remap.assign(n, -1);
    depth.assign(n, 0);
    const int32_t base = static_cast<int32_t>(out.nodes_.size());
    out.roots_.push_back(base);
    out.nodes_.push_back(Node{});
    remap[0] = base;
    int deepest = 0;
    std::vector<int32_t> queue = {0};
    for (size_t q = 0; q < queue.size(); ++q) {
      const int32_t id = queue[q];
      const int32_t at = remap[id];
      out.nodes_[at].value = static_cast<float>(split_condition[id]);
      deepest = std::max(deepest, depth[id]);
      if (left[id] == -1) {
        out.nodes_[at].left = at;  // a leaf steps to itself
        continue;
      }
      const int32_t l = left[id], r = right[id];
      if (l <= 0 || r <= 0 || static_cast<size_t>(l) >= n || static_cast<size_t>(r) >= n || remap[l] != -1 ||
          remap[r] != -1 || l == r) {
        return Malformed("a tree's child links are broken");
      }
      if (split_index[id] < 0 || split_index[id] >= out.num_features_) return Malformed("split on an unknown feature");
      const int32_t slot = static_cast<int32_t>(out.nodes_.size());
      out.nodes_[at].left = slot;
      out.nodes_[at].feature = static_cast<uint16_t>(split_index[id]);
      out.nodes_[at].split = 1;
      out.nodes_[at].missing_right = default_left[id] == 0;
      remap[l] = slot;
      remap[r] = slot + 1;
      depth[l] = depth[r] = depth[id] + 1;
      out.nodes_.push_back(Node{});
      out.nodes_.push_back(Node{});
      queue.push_back(l);
      queue.push_back(r);
    }
    if (deepest > 255) return Unsupported("trees deeper than 255 levels");
    tree_depth.push_back(deepest);
  }
  // Shallow trees first, so each run of kLanes trees walks about as many levels as its trees need.
  std::vector<size_t> order(out.roots_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tree_depth[a] < tree_depth[b]; });
  std::vector<int32_t> roots;
  std::vector<uint16_t> classes;
  for (size_t i : order) {
    roots.push_back(out.roots_[i]);
    classes.push_back(out.classes_[i]);
  }
  for (size_t first = 0; first < order.size(); first += kLanes) {
    const size_t last = std::min(order.size(), first + kLanes) - 1;
    out.chunk_depth_.push_back(static_cast<uint8_t>(tree_depth[order[last]]));
  }
  out.roots_ = std::move(roots);
  out.classes_ = std::move(classes);
  if (out.roots_.empty()) return Malformed("the model has no trees");
  return out;
}

void TreeEnsemble::PredictMargins(const float* row, float* margins) const {
  for (int c = 0; c < num_classes_; ++c) margins[c] = base_score_;
  const Node* nodes = nodes_.data();
  const size_t trees = roots_.size();
  int32_t at[kLanes];
  for (size_t first = 0, chunk = 0; first < trees; first += kLanes, ++chunk) {
    const int lanes = static_cast<int>(std::min<size_t>(kLanes, trees - first));
    for (int i = 0; i < lanes; ++i) at[i] = roots_[first + i];
    for (int level = chunk_depth_[chunk]; level > 0; --level) {
      for (int i = 0; i < lanes; ++i) {
        const Node& node = nodes[at[i]];
        const float x = row[node.feature];
        // NaN compares false both ways: `x >= value` is the non-missing decision (not `x < value` → right),
        // and a missing value takes the node's default side.
        const uint32_t right = static_cast<uint32_t>(x >= node.value) | (static_cast<uint32_t>(x != x) & node.missing_right);
        at[i] = node.left + static_cast<int32_t>(right & node.split);
      }
    }
    for (int i = 0; i < lanes; ++i) margins[classes_[first + i]] += nodes[at[i]].value;
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
  std::vector<float> out;
  for (const Node& n : nodes_) {
    if (n.split && n.feature == feature) out.push_back(n.value);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace brewline::ml
