#include "ml/extra_trees.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "common/json_escape.h"

namespace brewline::ml {
namespace {

// Columns above this are refused so that a prediction's prepared row fits on the stack.
constexpr int kMaxColumns = 64;
constexpr int kMaxClasses = 64;
// scikit-learn's FEATURE_THRESHOLD: a feature spanning less than this in a node is constant there.
constexpr double kConstantSpan = 1e-7;

// splitmix64: a small, fully specified generator, so a seed gives the same forest with any standard library.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t state_;
};

float ApplyTransform(ColumnTransform t, float v) {
  switch (t) {
    case ColumnTransform::kLog1p:
      return std::log1p(std::max(v, 0.0f));  // NaN stays NaN
    case ColumnTransform::kClip0To4:
      return std::isnan(v) ? v : std::clamp(v, 0.0f, 4.0f);
    case ColumnTransform::kIdentity:
      break;
  }
  return v;
}

std::string_view TransformName(ColumnTransform t) {
  switch (t) {
    case ColumnTransform::kLog1p:
      return "log1p";
    case ColumnTransform::kClip0To4:
      return "clip_0_4";
    case ColumnTransform::kIdentity:
      break;
  }
  return "identity";
}

}  // namespace

ColumnTransform ExtraTrees::TransformFor(std::string_view name) {
  // Right-skewed positive measures (a few imperial stouts and barley wines stretch them tenfold).
  if (name == "abv" || name == "ebc" || name == "srm" || name == "og_points") return ColumnTransform::kLog1p;
  // ≈1.97 by definition; a few rows have absurd ratios.
  if (name == "ebc_per_srm") return ColumnTransform::kClip0To4;
  return ColumnTransform::kIdentity;
}

void ExtraTrees::Prepare(const float* row, float* out) const {
  const int cols = num_columns();
  for (int c = 0; c < cols; ++c) {
    const float v = ApplyTransform(transforms_[c], row[c]);
    out[c] = std::isnan(v) ? medians_[c] : v;
  }
  for (size_t i = 0; i < indicator_of_.size(); ++i)
    out[cols + i] = std::isnan(row[indicator_of_[i]]) ? 1.0f : 0.0f;
}

void ExtraTrees::PredictProbabilities(const float* row, float* out) const {
  float x[2 * kMaxColumns];
  Prepare(row, x);
  double sum[kMaxClasses] = {};
  const size_t groups = group_steps_.size();
  for (size_t g = 0; g < groups; ++g) {
    const uint32_t* base = &tree_base_[g * kLanes];
    uint32_t pos[kLanes];
    for (int j = 0; j < kLanes; ++j) pos[j] = base[j];
    // At most the group's depth in steps; usually fewer, as a row's leaves are shallower than the deepest
    // ones.
    for (int step = group_steps_[g]; step > 0; --step) {
      uint32_t moved = 0;
      for (int j = 0; j < kLanes; ++j) {
        const Packed p = packed_[pos[j]];
        const uint32_t next = base[j] + (p.meta >> 8) + (x[p.meta & 0xFF] > p.threshold);
        moved |= next ^ pos[j];
        pos[j] = next;
      }
      if (moved == 0) break;
    }
    const int lanes = g + 1 == groups ? last_group_lanes_ : kLanes;
    for (int j = 0; j < lanes; ++j) {
      const float* leaf = &leaf_values_[static_cast<size_t>(leaf_row_[pos[j]]) * classes_];
      for (int c = 0; c < classes_; ++c) sum[c] += leaf[c];
    }
  }
  const double trees = static_cast<double>(roots_.size());
  for (int c = 0; c < classes_; ++c) out[c] = static_cast<float>(sum[c] / trees);
}

Status ExtraTrees::Compile() {
  struct Tree {
    std::vector<Packed> nodes;
    std::vector<uint32_t> leaf_rows;
    int depth = 0;
  };
  std::vector<Tree> trees;
  constexpr uint32_t kMaxTreeNodes = 1u << 24;
  size_t total = 0;
  for (int32_t root : roots_) {
    // Breadth-first, placing both children of a split next to each other; depth = the longest root-leaf path.
    Tree t;
    std::vector<std::pair<int32_t, int>> queue = {{root, 0}};  // (node, depth), in compiled order
    for (size_t i = 0; i < queue.size(); ++i) {
      const auto [id, depth] = queue[i];
      if (++total > nodes_.size()) return FailedPrecondition("forest.json: a node has two parents");
      if (queue.size() > kMaxTreeNodes) return FailedPrecondition("forest: a tree has over 2^24 nodes");
      const Node& n = nodes_[id];
      t.depth = std::max(t.depth, depth);
      if (n.feature < 0) {
        t.nodes.push_back({std::numeric_limits<float>::infinity(), static_cast<uint32_t>(i) << 8});
        t.leaf_rows.push_back(static_cast<uint32_t>(n.left));
      } else {
        t.nodes.push_back(
            {n.threshold, static_cast<uint32_t>(n.feature) | static_cast<uint32_t>(queue.size()) << 8});
        t.leaf_rows.push_back(0);
        queue.push_back({n.left, depth + 1});
        queue.push_back({n.right, depth + 1});
      }
    }
    trees.push_back(std::move(t));
  }
  // Trees of similar depth share a group, so few lanes idle at their leaf while the deepest walks on. The
  // order changes only the order of the sum, never which leaves are reached.
  std::stable_sort(trees.begin(), trees.end(),
                   [](const Tree& a, const Tree& b) { return a.depth < b.depth; });
  // The last group may be partial: its missing lanes repeat the last tree and are left out of the sum.
  last_group_lanes_ = static_cast<int>((trees.size() - 1) % kLanes) + 1;
  packed_.clear();
  leaf_row_.clear();
  tree_base_.clear();
  group_steps_.clear();
  for (size_t i = 0; i < trees.size(); ++i) {
    tree_base_.push_back(static_cast<uint32_t>(packed_.size()));
    packed_.insert(packed_.end(), trees[i].nodes.begin(), trees[i].nodes.end());
    leaf_row_.insert(leaf_row_.end(), trees[i].leaf_rows.begin(), trees[i].leaf_rows.end());
    if (i % kLanes == kLanes - 1 || i + 1 == trees.size()) {
      group_steps_.push_back(static_cast<uint16_t>(std::min(trees[i].depth, 65535)));
    }
  }
  while (tree_base_.size() % kLanes != 0) tree_base_.push_back(tree_base_.back());
  return Status::OK();
}

// Grows the trees over the prepared (transformed, imputed) training matrix.
class ExtraTrees::Builder {
 public:
  Builder(ExtraTrees& forest, std::vector<float> x, int rows, int width, const std::vector<int>& labels,
          const std::vector<double>& weights, const ExtraTreesParams& params)
      : forest_(forest),
        x_(std::move(x)),
        rows_(rows),
        width_(width),
        labels_(labels),
        weights_(weights),
        params_(params),
        rng_(params.seed) {
    max_features_ = std::max(1, static_cast<int>(params.max_features * width));
    order_.resize(width);
  }

  void GrowTree() {
    std::vector<int> samples(rows_);
    std::iota(samples.begin(), samples.end(), 0);
    struct Task {
      int begin, end, node;
    };
    forest_.roots_.push_back(NewNode());
    std::vector<Task> stack = {{0, rows_, forest_.roots_.back()}};
    std::vector<double> totals(forest_.classes_);
    while (!stack.empty()) {
      const Task t = stack.back();
      stack.pop_back();
      ClassTotals(samples, t.begin, t.end, totals.data());
      const int n = t.end - t.begin;
      Split best;
      if (n >= 2 * params_.min_samples_leaf && n >= 2 && !Pure(totals))
        best = FindSplit(samples, t.begin, t.end);
      if (best.feature < 0) {
        MakeLeaf(t.node, totals);
        continue;
      }
      const auto mid = std::partition(samples.begin() + t.begin, samples.begin() + t.end,
                                      [&](int s) { return At(s, best.feature) <= best.threshold; });
      const int m = static_cast<int>(mid - samples.begin());
      const int left = NewNode(), right = NewNode();
      forest_.nodes_[t.node] = {best.feature, best.threshold, left, right};
      stack.push_back({m, t.end, right});
      stack.push_back({t.begin, m, left});  // left first: nodes come out in depth-first order
    }
  }

 private:
  struct Split {
    int feature = -1;
    float threshold = 0;
  };

  float At(int sample, int feature) const { return x_[static_cast<size_t>(sample) * width_ + feature]; }
  double Weight(int sample) const { return weights_.empty() ? 1.0 : weights_[sample]; }

  int NewNode() {
    forest_.nodes_.push_back({-1, 0, 0, 0});
    return static_cast<int>(forest_.nodes_.size() - 1);
  }

  void ClassTotals(const std::vector<int>& samples, int begin, int end, double* totals) const {
    std::fill(totals, totals + forest_.classes_, 0.0);
    for (int i = begin; i < end; ++i) totals[labels_[samples[i]]] += Weight(samples[i]);
  }

  static bool Pure(const std::vector<double>& totals) {
    int present = 0;
    for (double w : totals) present += w > 0;
    return present <= 1;
  }

  void MakeLeaf(int node, const std::vector<double>& totals) {
    const double total = std::accumulate(totals.begin(), totals.end(), 0.0);
    const int32_t leaf = static_cast<int32_t>(forest_.leaf_values_.size() / forest_.classes_);
    for (double w : totals) forest_.leaf_values_.push_back(static_cast<float>(total > 0 ? w / total : 0));
    forest_.nodes_[node] = {-1, 0, leaf, leaf};
  }

  // One random threshold on each visited feature; the best by weighted Gini (largest Σ w_c²/W over the
  // sides).
  Split FindSplit(const std::vector<int>& samples, int begin, int end) {
    std::iota(order_.begin(), order_.end(), 0);
    Split best;
    double best_score = -1;
    int visited = 0, constants = 0;
    const int k = forest_.classes_;
    double left[kMaxClasses], right[kMaxClasses];
    // As scikit-learn: stop after max_features visits, but keep going while every visit found a constant.
    for (int remaining = width_; remaining > 0 && (visited < max_features_ || visited <= constants);
         --remaining) {
      const int pick = rng_.Below(remaining);
      const int f = order_[pick];
      std::swap(order_[pick], order_[remaining - 1]);
      ++visited;
      float lo = std::numeric_limits<float>::infinity(), hi = -lo;
      for (int i = begin; i < end; ++i) {
        const float v = At(samples[i], f);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (static_cast<double>(hi) <= static_cast<double>(lo) + kConstantSpan) {
        ++constants;
        continue;
      }
      float threshold = static_cast<float>(lo + rng_.Uniform() * (static_cast<double>(hi) - lo));
      if (threshold >= hi) threshold = lo;
      std::fill(left, left + k, 0.0);
      std::fill(right, right + k, 0.0);
      int n_left = 0;
      for (int i = begin; i < end; ++i) {
        const int s = samples[i];
        if (At(s, f) <= threshold) {
          left[labels_[s]] += Weight(s);
          ++n_left;
        } else {
          right[labels_[s]] += Weight(s);
        }
      }
      if (n_left < params_.min_samples_leaf || (end - begin) - n_left < params_.min_samples_leaf) continue;
      const double score = SideScore(left, k) + SideScore(right, k);
      if (score > best_score) {
        best_score = score;
        best = {f, threshold};
      }
    }
    return best;
  }

  static double SideScore(const double* w, int k) {
    double total = 0, squares = 0;
    for (int c = 0; c < k; ++c) {
      total += w[c];
      squares += w[c] * w[c];
    }
    return total > 0 ? squares / total : 0;
  }

  ExtraTrees& forest_;
  std::vector<float> x_;
  int rows_, width_;
  const std::vector<int>& labels_;
  const std::vector<double>& weights_;
  ExtraTreesParams params_;
  Random rng_;
  int max_features_ = 1;
  std::vector<int> order_;
};

Result<ExtraTrees> ExtraTrees::Train(const float* features, int rows, int cols,
                                     const std::vector<int>& labels, const std::vector<double>& weights,
                                     int classes, const std::vector<ColumnTransform>& transforms,
                                     const ExtraTreesParams& params) {
  if (rows <= 0) return InvalidArgument("extra trees: no training rows");
  if (cols <= 0 || cols > kMaxColumns || static_cast<int>(transforms.size()) != cols) {
    return InvalidArgument("extra trees: need 1-" + std::to_string(kMaxColumns) +
                           " columns, each with a transform");
  }
  if (classes < 2 || classes > kMaxClasses) return InvalidArgument("extra trees: need 2-64 classes");
  if (static_cast<int>(labels.size()) != rows ||
      (!weights.empty() && static_cast<int>(weights.size()) != rows)) {
    return InvalidArgument("extra trees: labels/weights do not match the rows");
  }
  for (int l : labels) {
    if (l < 0 || l >= classes)
      return InvalidArgument("extra trees: label " + std::to_string(l) + " out of range");
  }
  if (params.trees < 1 || params.min_samples_leaf < 1 ||
      !(params.max_features > 0 && params.max_features <= 1)) {
    return InvalidArgument("extra trees: trees and min_samples_leaf must be >= 1, max_features in (0, 1]");
  }
  ExtraTrees forest;
  forest.classes_ = classes;
  forest.transforms_ = transforms;
  // Medians (after the transform) and which columns had a missing value, over the training rows.
  std::vector<float> column;
  for (int c = 0; c < cols; ++c) {
    column.clear();
    bool any_missing = false;
    for (int r = 0; r < rows; ++r) {
      const float v = ApplyTransform(transforms[c], features[static_cast<size_t>(r) * cols + c]);
      if (std::isnan(v)) {
        any_missing = true;
      } else {
        column.push_back(v);
      }
    }
    float median = 0;  // a column missing everywhere becomes constant: never split on
    if (!column.empty()) {
      std::sort(column.begin(), column.end());
      const size_t h = column.size() / 2;
      median = column.size() % 2 ? column[h]
                                 : static_cast<float>((static_cast<double>(column[h - 1]) + column[h]) / 2);
    }
    forest.medians_.push_back(median);
    if (any_missing) forest.indicator_of_.push_back(c);
  }
  const int width = forest.input_width();
  std::vector<float> x(static_cast<size_t>(rows) * width);
  for (int r = 0; r < rows; ++r)
    forest.Prepare(features + static_cast<size_t>(r) * cols, &x[static_cast<size_t>(r) * width]);
  Builder builder(forest, std::move(x), rows, width, labels, weights, params);
  for (int t = 0; t < params.trees; ++t) builder.GrowTree();
  RETURN_IF_ERROR(forest.Compile());
  return forest;
}

std::string ExtraTrees::ToJson() const {
  // Written by hand: the node and leaf arrays are most of a forest, and floats in their own shortest text are
  // half the size of nlohmann's widened doubles (the shipped 300-tree forest: 2.1 MB instead of 3.1 MB).
  std::string out =
      R"({"format":"brewline-extra-trees","format_version":1,"classes":)" + std::to_string(classes_);
  out += R"(,"columns":[)";
  for (int c = 0; c < num_columns(); ++c) {
    out += c ? R"(,{"transform":")" : R"({"transform":")";
    out += TransformName(transforms_[c]);
    out += R"(","median":)";
    AppendJsonFloat(&out, medians_[c]);
    out += '}';
  }
  auto ints = [&](const char* key, auto&& value, size_t n) {
    out += key;
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ',';
      out += std::to_string(value(i));
    }
    out += ']';
  };
  auto floats = [&](const char* key, auto&& value, size_t n) {
    out += key;
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ',';
      AppendJsonFloat(&out, value(i));
    }
    out += ']';
  };
  ints(R"(],"missing_indicators":[)", [&](size_t i) { return indicator_of_[i]; }, indicator_of_.size());
  ints(R"(,"roots":[)", [&](size_t i) { return roots_[i]; }, roots_.size());
  ints(R"(,"nodes":{"feature":[)", [&](size_t i) { return nodes_[i].feature; }, nodes_.size());
  floats(R"(,"threshold":[)", [&](size_t i) { return nodes_[i].threshold; }, nodes_.size());
  ints(R"(,"left":[)", [&](size_t i) { return nodes_[i].left; }, nodes_.size());
  ints(R"(,"right":[)", [&](size_t i) { return nodes_[i].right; }, nodes_.size());
  floats(R"(},"leaf_values":[)", [&](size_t i) { return leaf_values_[i]; }, leaf_values_.size());
  out += "}";
  return out;
}

Result<ExtraTrees> ExtraTrees::FromJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corruption("forest.json is not a JSON object");
  ExtraTrees f;
  try {
    if (j.value("format", "") != "brewline-extra-trees" || j.at("format_version").get<int>() != 1) {
      return FailedPrecondition("forest.json: not a brewline-extra-trees forest of format_version 1");
    }
    f.classes_ = j.at("classes").get<int>();
    for (const auto& c : j.at("columns")) {
      const std::string t = c.at("transform").get<std::string>();
      if (t == "log1p") {
        f.transforms_.push_back(ColumnTransform::kLog1p);
      } else if (t == "clip_0_4") {
        f.transforms_.push_back(ColumnTransform::kClip0To4);
      } else if (t == "identity") {
        f.transforms_.push_back(ColumnTransform::kIdentity);
      } else {
        return FailedPrecondition("forest.json: unknown column transform '" + t + "'");
      }
      f.medians_.push_back(c.at("median").get<float>());
    }
    f.indicator_of_ = j.at("missing_indicators").get<std::vector<int32_t>>();
    f.roots_ = j.at("roots").get<std::vector<int32_t>>();
    const auto& n = j.at("nodes");
    const auto feature = n.at("feature").get<std::vector<int32_t>>();
    const auto threshold = n.at("threshold").get<std::vector<float>>();
    const auto left = n.at("left").get<std::vector<int32_t>>();
    const auto right = n.at("right").get<std::vector<int32_t>>();
    f.leaf_values_ = j.at("leaf_values").get<std::vector<float>>();
    if (threshold.size() != feature.size() || left.size() != feature.size() ||
        right.size() != feature.size()) {
      return FailedPrecondition("forest.json: node arrays differ in length");
    }
    for (size_t i = 0; i < feature.size(); ++i)
      f.nodes_.push_back({feature[i], threshold[i], left[i], right[i]});
  } catch (const nlohmann::json::exception& e) {
    return Corruption(std::string("forest.json: missing or mistyped field (") + e.what() + ")");
  }
  // Structural checks, so that a prediction can never index out of range or loop.
  const int cols = f.num_columns();
  if (f.classes_ < 2 || f.classes_ > kMaxClasses || cols < 1 || cols > kMaxColumns || f.roots_.empty()) {
    return FailedPrecondition("forest.json: classes, columns or trees out of range");
  }
  for (int32_t c : f.indicator_of_) {
    if (c < 0 || c >= cols) return FailedPrecondition("forest.json: missing indicator for an unknown column");
  }
  const int64_t nodes = static_cast<int64_t>(f.nodes_.size());
  const int64_t leaves = static_cast<int64_t>(f.leaf_values_.size() / f.classes_);
  if (f.leaf_values_.size() % f.classes_ != 0)
    return FailedPrecondition("forest.json: leaf values not per class");
  for (int32_t r : f.roots_) {
    if (r < 0 || r >= nodes) return FailedPrecondition("forest.json: tree root out of range");
  }
  for (int64_t i = 0; i < nodes; ++i) {
    const Node& n = f.nodes_[i];
    if (n.feature < 0) {
      if (n.left < 0 || n.left >= leaves)
        return FailedPrecondition("forest.json: leaf value index out of range");
    } else if (n.feature >= f.input_width() || n.left <= i || n.right <= i || n.left >= nodes ||
               n.right >= nodes || std::isnan(n.threshold)) {
      // Children after their parent: every walk moves forward, so it ends.
      return FailedPrecondition("forest.json: node " + std::to_string(i) + " is malformed");
    }
  }
  RETURN_IF_ERROR(f.Compile());
  return f;
}

}  // namespace brewline::ml
