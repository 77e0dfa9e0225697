// The compiled tree predictor against XGBoost itself: same probabilities on the real model and data, the same
// split and missing-value semantics, and clear refusals for what it does not compile.
#include "ml/tree_ensemble.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "ml/booster.h"
#include "ml/ibu_classifier.h"
#include "ml/model_builder.h"
#include "ml/model_metadata.h"
#include "punkapi_data.h"

namespace brewline::ml {
namespace {

// The shipped hyperparameters (400 rounds × 6 classes = 2,400 trees), trained once for the whole suite.
const TrainOutcome& ShippedModel() {
  static const TrainOutcome* outcome = [] {
    TrainRequest request;
    request.evaluate = false;
    auto built = BuildModel(testdata::PunkapiBeers(), request, 0);
    EXPECT_TRUE(built.ok()) << built.status().ToString();
    return built.ok() ? new TrainOutcome(std::move(*built)) : nullptr;
  }();
  return *outcome;
}

TEST(TreeEnsemble, MatchesXgboostOnEveryCatalogueBeerAndOnMissingValues) {
  const TrainOutcome& model = ShippedModel();
  auto ensemble = TreeEnsemble::FromXgboostJson(model.model_json);
  ASSERT_TRUE(ensemble.ok()) << ensemble.status().ToString();
  EXPECT_EQ(ensemble->num_trees(), 2400);
  EXPECT_EQ(ensemble->num_classes(), 6);
  EXPECT_EQ(ensemble->num_features(), kNumFeatures);
  auto booster = Booster::LoadJson(model.model_json);
  ASSERT_TRUE(booster.ok());

  // The dataset's rows (cleaned and featurised as in training), then each with one feature knocked out.
  std::vector<float> rows(model.data.features);
  const int n = model.data.rows();
  for (int r = 0; r < n; ++r) {
    std::vector<float> copy(model.data.row(r), model.data.row(r) + kNumFeatures);
    copy[r % kNumFeatures] = NAN;
    rows.insert(rows.end(), copy.begin(), copy.end());
  }
  const int total = static_cast<int>(rows.size() / kNumFeatures);
  std::vector<float> expected;
  ASSERT_TRUE(booster->Predict(rows.data(), total, kNumFeatures, &expected).ok());
  ASSERT_EQ(expected.size(), static_cast<size_t>(total) * 6);
  float worst = 0;
  int argmax_disagreements = 0;
  for (int r = 0; r < total; ++r) {
    float got[6];
    ensemble->PredictProbabilities(&rows[static_cast<size_t>(r) * kNumFeatures], got);
    const float* want = &expected[static_cast<size_t>(r) * 6];
    float sum = 0;
    int got_best = 0, want_best = 0;
    for (int c = 0; c < 6; ++c) {
      worst = std::max(worst, std::fabs(got[c] - want[c]));
      sum += got[c];
      if (got[c] > got[got_best]) got_best = c;
      if (want[c] > want[want_best]) want_best = c;
    }
    EXPECT_NEAR(sum, 1.0f, 1e-5f);
    argmax_disagreements += got_best != want_best;
  }
  EXPECT_LE(worst, 1e-6f);
  EXPECT_EQ(argmax_disagreements, 0);
}

// One tree on feature 1: x < 2.5 → left leaf 1.0, else right leaf -1.0; missing → default (right here).
std::string TinyModel(const std::string& booster = "gbtree", const std::string& split_type = "0",
                      const std::string& left_children = "[1,-1,-1]",
                      const std::string& objective = "multi:softprob") {
  return R"({"learner":{"attributes":{},"feature_names":[],"feature_types":[],
    "gradient_booster":{"name":")" + booster + R"(","model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"1"},
      "tree_info":[1],"trees":[{"id":0,"tree_param":{"num_deleted":"0","num_feature":"3","num_nodes":"3","size_leaf_vector":"0"},
        "left_children":)" + left_children + R"(,"right_children":[2,-1,-1],"split_indices":[1,0,0],
        "split_conditions":[2.5,1.0,-1.0],"default_left":[0,0,0],"split_type":[)" + split_type + R"(,0,0],
        "base_weights":[0.0,1.0,-1.0],"loss_changes":[1.0,0.0,0.0],"parents":[2147483647,0,0],"sum_hessian":[3.0,1.0,2.0],
        "categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[]}]}},
    "learner_model_param":{"base_score":"5E-1","boost_from_average":"1","num_class":"2","num_feature":"3","num_target":"1"},
    "objective":{"name":")" + objective + R"(","softmax_multiclass_param":{"num_class":"2"}}},"version":[1,7,4]})";
}

TEST(TreeEnsemble, SplitsLikeXgboostAtTheThresholdAndForMissingValues) {
  auto ensemble = TreeEnsemble::FromXgboostJson(TinyModel());
  ASSERT_TRUE(ensemble.ok()) << ensemble.status().ToString();
  EXPECT_EQ(ensemble->SplitThresholds(1), std::vector<float>{2.5f});
  EXPECT_TRUE(ensemble->SplitThresholds(0).empty());
  auto margin_of_class1 = [&](float x) {
    float row[3] = {0, x, 0}, m[2];
    ensemble->PredictMargins(row, m);
    EXPECT_EQ(m[0], 0.5f);  // base score only: the tree adds to class 1
    return m[1];
  };
  EXPECT_EQ(margin_of_class1(2.4999f), 1.5f);
  EXPECT_EQ(margin_of_class1(2.5f), -0.5f);  // x < split goes left, so the threshold itself goes right
  EXPECT_EQ(margin_of_class1(NAN), -0.5f);   // default_left = 0
  EXPECT_EQ(margin_of_class1(-INFINITY), 1.5f);
  // And XGBoost agrees on all four.
  auto booster = Booster::LoadJson(TinyModel());
  ASSERT_TRUE(booster.ok()) << booster.status().ToString();
  const float rows[] = {0, 2.4999f, 0, 0, 2.5f, 0, 0, NAN, 0, 0, -INFINITY, 0};
  std::vector<float> want;
  ASSERT_TRUE(booster->Predict(rows, 4, 3, &want).ok());
  for (int r = 0; r < 4; ++r) {
    float got[2];
    ensemble->PredictProbabilities(rows + r * 3, got);
    EXPECT_NEAR(got[0], want[r * 2], 1e-7f) << r;
    EXPECT_NEAR(got[1], want[r * 2 + 1], 1e-7f) << r;
  }
}

// A "caterpillar" tree on feature 0 with `leaves` leaves: split k tests x < k + 0.5; one child is a leaf of
// value k + 1, the other continues the chain (on the right when `grow_right`, else on the left, which makes
// left subtrees as wide as 63 leaves). Missing values go left at even splits and right at odd ones. XGBoost
// 1.7 itself crashes predicting such deep hand-made trees, so the oracle is a plain walk of the same arrays.
struct Caterpillar {
  std::string json;
  std::vector<int> l, r, def;
  std::vector<double> value;
  // The leaf value a row with feature 0 = x reaches (XGBoost's rule: missing → default, x < split → left).
  double Walk(float x) const {
    int at = 0;
    while (l[at] != -1) at = std::isnan(x) ? (def[at] ? l[at] : r[at]) : (x < static_cast<float>(value[at]) ? l[at] : r[at]);
    return value[at];
  }
};

Caterpillar CaterpillarModel(int leaves, bool grow_right) {
  std::string lc, rc, si, sc, dl, st, bw, parents, zeros;
  const int nodes = 2 * leaves - 1;
  std::vector<int> l(nodes, -1), r(nodes, -1), parent(nodes, 2147483647);
  std::vector<double> value(nodes, 0);
  std::vector<int> feature(nodes, 0), def(nodes, 0);
  int next = 1;
  for (int k = 0, at = 0; k < leaves - 1; ++k) {
    const int chain = next++, leaf = next++;
    (grow_right ? r : l)[at] = chain;
    (grow_right ? l : r)[at] = leaf;
    parent[chain] = parent[leaf] = at;
    value[at] = k + 0.5;
    def[at] = k % 2 == 0;
    value[leaf] = k + 1;
    at = chain;
    if (k == leaves - 2) value[chain] = -1;  // the last leaf
  }
  auto join = [](auto&& v, bool as_float) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ",";
      if (as_float) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(v[i]));
        out += buf;
      } else {
        out += std::to_string(v[i]);
      }
    }
    return out + "]";
  };
  std::vector<double> fzeros(nodes, 0.0), ones(nodes, 1.0);
  std::vector<int> izeros(nodes, 0);
  Caterpillar c{"", l, r, def, value};
  c.json = R"({"learner":{"attributes":{},"feature_names":[],"feature_types":[],
    "gradient_booster":{"name":"gbtree","model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"1"},
      "tree_info":[0],"trees":[{"id":0,"tree_param":{"num_deleted":"0","num_feature":"2","num_nodes":")" +
         std::to_string(nodes) + R"(","size_leaf_vector":"0"},
        "left_children":)" + join(l, false) + R"(,"right_children":)" + join(r, false) +
         R"(,"split_indices":)" + join(feature, false) + R"(,"split_conditions":)" + join(value, true) +
         R"(,"default_left":)" + join(def, false) + R"(,"split_type":)" + join(izeros, false) +
         R"(,"base_weights":)" + join(fzeros, true) + R"(,"loss_changes":)" + join(fzeros, true) +
         R"(,"parents":)" + join(parent, false) + R"(,"sum_hessian":)" + join(ones, true) + R"(,
        "categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[]}]}},
    "learner_model_param":{"base_score":"5E-1","boost_from_average":"1","num_class":"2","num_feature":"2","num_target":"1"},
    "objective":{"name":"multi:softprob","softmax_multiclass_param":{"num_class":"2"}}},"version":[1,7,4]})";
  return c;
}

TEST(TreeEnsemble, SixtyFourLeafTreesOfEitherShapePredictTheirLeafAndBiggerOnesAreRefused) {
  for (bool grow_right : {true, false}) {
    const Caterpillar model = CaterpillarModel(64, grow_right);
    auto ensemble = TreeEnsemble::FromXgboostJson(model.json);
    ASSERT_TRUE(ensemble.ok()) << ensemble.status().ToString();
    std::vector<float> xs = {NAN, -INFINITY, INFINITY};
    for (float x = -1; x <= 65; x += 0.5f) xs.push_back(x);
    for (float x : xs) {
      const float row[2] = {x, 0};
      float margins[2];
      ensemble->PredictMargins(row, margins);
      EXPECT_EQ(margins[0], static_cast<float>(0.5 + model.Walk(x))) << "x=" << x << " grow_right=" << grow_right;
      EXPECT_EQ(margins[1], 0.5f);
    }
  }
  auto too_big = TreeEnsemble::FromXgboostJson(CaterpillarModel(65, true).json);
  EXPECT_EQ(too_big.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(too_big.status().message().find("64 leaves"), std::string::npos);
}

TEST(TreeEnsemble, RefusesWhatItDoesNotCompile) {
  auto dart = TreeEnsemble::FromXgboostJson(TinyModel("dart"));
  EXPECT_EQ(dart.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(dart.status().message().find("booster dart"), std::string::npos);
  EXPECT_EQ(TreeEnsemble::FromXgboostJson(TinyModel("gbtree", "1")).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(TreeEnsemble::FromXgboostJson(TinyModel("gbtree", "0", "[1,-1,-1]", "reg:squarederror")).status().code(),
            StatusCode::kFailedPrecondition);
  // A child pointing back at the root (a cycle), a child out of range, truncated and non-JSON input.
  EXPECT_EQ(TreeEnsemble::FromXgboostJson(TinyModel("gbtree", "0", "[0,-1,-1]")).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(TreeEnsemble::FromXgboostJson(TinyModel("gbtree", "0", "[7,-1,-1]")).status().code(),
            StatusCode::kCorruption);
  const std::string whole = TinyModel();
  EXPECT_EQ(TreeEnsemble::FromXgboostJson(whole.substr(0, whole.size() / 2)).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(TreeEnsemble::FromXgboostJson("not json").status().code(), StatusCode::kCorruption);
}

TEST(TreeEnsemble, ClassifierServesThroughTheCompiledPredictorAndFallsBackToXgboost) {
  const TrainOutcome& model = ShippedModel();
  ModelMetadata metadata = model.metadata;
  metadata.version = 1;
  auto compiled = IbuClassifier::FromFiles(model.model_json, MetadataToJson(metadata), model.forest_json);
  ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
  EXPECT_EQ((*compiled)->predictor(), "compiled") << (*compiled)->why_not_compiled();

  // A dart model (same features and classes) loads, is not compiled, and still predicts through XGBoost.
  auto data = BuildDataset(testdata::PunkapiBeers(), metadata.bands, metadata.cleaning);
  ASSERT_TRUE(data.ok());
  std::vector<float> labels(data->band.begin(), data->band.end());
  BoosterParams params = ClassifierParams(Hyperparameters{}, metadata.bands.count());
  params.emplace_back("booster", "dart");
  auto dart = Booster::Train(data->features, data->rows(), kNumFeatures, labels, {}, params, 5);
  ASSERT_TRUE(dart.ok()) << dart.status().ToString();
  auto dart_json = dart->SaveJson();
  ASSERT_TRUE(dart_json.ok());
  metadata.model_sha256.clear();
  auto fallback = IbuClassifier::FromFiles(*dart_json, MetadataToJson(metadata), model.forest_json);
  ASSERT_TRUE(fallback.ok()) << fallback.status().ToString();
  EXPECT_EQ((*fallback)->predictor(), "xgboost");
  EXPECT_NE((*fallback)->why_not_compiled().find("dart"), std::string::npos);
  auto prediction = (*fallback)->Predict(testdata::PunkapiBeers().front());
  ASSERT_TRUE(prediction.ok()) << prediction.status().ToString();
  EXPECT_EQ(prediction->probabilities.size(), 6u);
}

TEST(TreeEnsemble, ModelsTrainedOnAnOlderOrReorderedFeatureListStillServe) {
  // The ten features before the name-derived ones existed, in reverse order: the classifier maps them by name.
  auto beers = testdata::PunkapiBeers();
  ModelMetadata metadata = ShippedModel().metadata;
  metadata.hyperparameters.forest_trees = 0;  // the boosted model alone, as models were then
  auto data = BuildDataset(beers, metadata.bands, metadata.cleaning);
  ASSERT_TRUE(data.ok());
  std::vector<int> columns;
  for (int i = 9; i >= 0; --i) columns.push_back(i);
  metadata.features.clear();
  for (int i : columns) metadata.features.push_back(std::string(kFeatureNames[i]));
  std::vector<float> x;
  for (int r = 0; r < data->rows(); ++r) {
    for (int i : columns) x.push_back(data->row(r)[i]);
  }
  std::vector<float> labels(data->band.begin(), data->band.end());
  auto booster = Booster::Train(x, data->rows(), 10, labels, {}, ClassifierParams(Hyperparameters{}, 6), 20);
  ASSERT_TRUE(booster.ok()) << booster.status().ToString();
  auto json = booster->SaveJson();
  ASSERT_TRUE(json.ok());
  metadata.version = 3;
  metadata.model_sha256.clear();
  // Written as format version 1, before forests existed: it loads as a boosted-only model.
  std::string v1 = MetadataToJson(metadata);
  v1.replace(v1.find("\"format_version\": 2"), 19, "\"format_version\": 1");
  auto clf = IbuClassifier::FromFiles(*json, v1);
  ASSERT_TRUE(clf.ok()) << clf.status().ToString();
  EXPECT_EQ((*clf)->predictor(), "compiled") << (*clf)->why_not_compiled();
  std::vector<float> want;
  ASSERT_TRUE(booster->Predict(x.data(), data->rows(), 10, &want).ok());
  int checked = 0;
  for (const beer::CleanedBeer& b : beers) {
    auto row = std::find(data->ids.begin(), data->ids.end(), b.id);
    if (row == data->ids.end()) continue;
    const size_t r = static_cast<size_t>(row - data->ids.begin());
    auto got = (*clf)->Predict(b);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    // XGBoost on the hand-built reversed rows, through the same decision rule, picks the same band.
    std::vector<float> probabilities(want.begin() + r * 6, want.begin() + r * 6 + 6);
    EXPECT_EQ(got->band, DecideBand(metadata.correction, probabilities.data(), 6)) << b.id;
    ++checked;
  }
  EXPECT_EQ(checked, data->rows());
}

}  // namespace
}  // namespace brewline::ml
