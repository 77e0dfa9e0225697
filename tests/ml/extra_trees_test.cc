#include "ml/extra_trees.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace brewline::ml {
namespace {

// A small labelled problem: class = (x0 > 0.5) + (x1 > 0.5), x2 pure noise; `missing_marks_two` makes column
// 3 missing exactly on class-2 rows (so only its missingness carries information).
struct Problem {
  std::vector<float> x;
  std::vector<int> y;
  int rows = 0;
  static constexpr int kCols = 4;
};

Problem MakeProblem(int rows, bool missing_marks_two) {
  Problem p;
  p.rows = rows;
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<float>((state >> 40) & 0xFFFF) / 65536.0f;
  };
  for (int r = 0; r < rows; ++r) {
    const float a = next(), b = next(), noise = next();
    const int label = (a > 0.5f) + (b > 0.5f);
    p.x.insert(p.x.end(), {a, b, noise, missing_marks_two && label == 2 ? NAN : next()});
    p.y.push_back(label);
  }
  return p;
}

std::vector<ColumnTransform> Identity(int cols) {
  return std::vector<ColumnTransform>(cols, ColumnTransform::kIdentity);
}

Result<ExtraTrees> TrainOn(const Problem& p, ExtraTreesParams params = {}) {
  params.trees = 50;
  return ExtraTrees::Train(p.x.data(), p.rows, Problem::kCols, p.y, {}, 3, Identity(Problem::kCols), params);
}

TEST(ExtraTrees, LearnsAThresholdProblemWithProbabilitiesThatSumToOne) {
  const Problem p = MakeProblem(400, false);
  auto forest = TrainOn(p);
  ASSERT_TRUE(forest.ok()) << forest.status().ToString();
  EXPECT_EQ(forest->num_trees(), 50);
  EXPECT_EQ(forest->num_classes(), 3);
  int correct = 0;
  for (float a : {0.1f, 0.3f, 0.7f, 0.9f}) {
    for (float b : {0.1f, 0.3f, 0.7f, 0.9f}) {
      const float row[4] = {a, b, 0.5f, 0.5f};
      float prob[3];
      forest->PredictProbabilities(row, prob);
      EXPECT_NEAR(prob[0] + prob[1] + prob[2], 1.0f, 1e-5f);
      const int want = (a > 0.5f) + (b > 0.5f);
      correct += std::max_element(prob, prob + 3) - prob == want;
    }
  }
  EXPECT_EQ(correct, 16);
}

TEST(ExtraTrees, IsDeterministicForASeedAndRoundTripsExactlyThroughJson) {
  const Problem p = MakeProblem(200, true);
  auto a = TrainOn(p), b = TrainOn(p);
  ExtraTreesParams other;
  other.seed = 9;
  auto c = TrainOn(p, other);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  const std::string json = a->ToJson();
  EXPECT_EQ(json, b->ToJson());
  EXPECT_NE(json, c->ToJson());
  auto loaded = ExtraTrees::FromJson(json);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->ToJson(), json);
  for (int r = 0; r < p.rows; ++r) {
    float want[3], got[3];
    a->PredictProbabilities(&p.x[static_cast<size_t>(r) * 4], want);
    loaded->PredictProbabilities(&p.x[static_cast<size_t>(r) * 4], got);
    for (int k = 0; k < 3; ++k) EXPECT_EQ(want[k], got[k]) << "row " << r;
  }
}

TEST(ExtraTrees, MissingValuesGetTheTrainingMedianAndAnIndicatorColumn) {
  const Problem p = MakeProblem(400, true);
  auto forest = TrainOn(p);
  ASSERT_TRUE(forest.ok());
  // Column 3 is missing only on class-2 rows: with x0, x1 hidden in the middle, its missingness decides.
  const float missing[4] = {0.5f, 0.5f, 0.5f, NAN};
  const float present[4] = {0.5f, 0.5f, 0.5f, 0.4f};
  float pm[3], pp[3];
  forest->PredictProbabilities(missing, pm);
  forest->PredictProbabilities(present, pp);
  EXPECT_GT(pm[2], pp[2] + 0.2f);
  EXPECT_NE(forest->ToJson().find("\"missing_indicators\":[3]"), std::string::npos);
}

TEST(ExtraTrees, MinSamplesLeafStopsSplitting) {
  const Problem p = MakeProblem(40, false);
  ExtraTreesParams params;
  params.min_samples_leaf = 21;  // no split can leave 21 rows on both sides of 40
  auto forest = TrainOn(p, params);
  ASSERT_TRUE(forest.ok());
  EXPECT_EQ(forest->num_nodes(), 50u);  // one leaf per tree
  std::vector<double> share(3, 0);
  for (int y : p.y) share[y] += 1.0 / p.rows;
  const float row[4] = {0.9f, 0.9f, 0.9f, 0.9f};
  float prob[3];
  forest->PredictProbabilities(row, prob);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(prob[k], share[k], 1e-6);  // the class shares of the training rows
}

TEST(ExtraTrees, TransformsFollowTheFeatureName) {
  EXPECT_EQ(ExtraTrees::TransformFor("abv"), ColumnTransform::kLog1p);
  EXPECT_EQ(ExtraTrees::TransformFor("og_points"), ColumnTransform::kLog1p);
  EXPECT_EQ(ExtraTrees::TransformFor("ebc_per_srm"), ColumnTransform::kClip0To4);
  EXPECT_EQ(ExtraTrees::TransformFor("ph"), ColumnTransform::kIdentity);
  // A log1p column's median is taken after the transform and serves missing values.
  const std::vector<float> x = {0, 1, 3, NAN};  // one column, four rows
  auto forest = ExtraTrees::Train(x.data(), 4, 1, {0, 0, 1, 1}, {}, 2, {ColumnTransform::kLog1p}, {});
  ASSERT_TRUE(forest.ok()) << forest.status().ToString();
  EXPECT_NE(forest->ToJson().find("\"transform\":\"log1p\",\"median\":0.6931472}"), std::string::npos)
      << forest->ToJson().substr(0, 200);
}

TEST(ExtraTrees, RefusesBadInputAndMalformedForests) {
  const Problem p = MakeProblem(20, false);
  EXPECT_EQ(ExtraTrees::Train(p.x.data(), p.rows, 4, std::vector<int>(20, 5), {}, 3, Identity(4), {})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  ExtraTreesParams bad;
  bad.max_features = 0;
  EXPECT_EQ(TrainOn(p, bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ExtraTrees::Train(p.x.data(), p.rows, 4, p.y, {}, 3, Identity(3), {}).status().code(),
            StatusCode::kInvalidArgument);

  auto forest = TrainOn(p);
  ASSERT_TRUE(forest.ok());
  const std::string json = forest->ToJson();
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = json;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return ExtraTrees::FromJson(s).status().code();
  };
  EXPECT_EQ(with("\"identity\"", "\"sqrt\""), StatusCode::kFailedPrecondition);
  EXPECT_EQ(with("\"roots\":[0", "\"roots\":[999999"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(with("\"feature\":[", "\"feature\":[77,"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(with("\"classes\":3", "\"classes\":\"three\""), StatusCode::kCorruption);
  EXPECT_EQ(with("\"format_version\":1", "\"format_version\":2"), StatusCode::kFailedPrecondition);
  EXPECT_EQ(ExtraTrees::FromJson(json.substr(0, json.size() / 2)).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace brewline::ml
