// Training, cross-validation, the registry and the serving classifier, on the real punkapi-db data.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "common/file_system.h"
#include "ml/booster.h"
#include "ml/evaluation.h"
#include "ml/ibu_classifier.h"
#include "ml/model_builder.h"
#include "ml/model_registry.h"
#include "punkapi_data.h"
#include "store/fs_object_store.h"
#include "testing/temp_dir.h"

namespace brewline::ml {
namespace {

// Small and fast settings; the shipped defaults are exercised by bench/ml and the notebook.
Hyperparameters FastHp() {
  Hyperparameters hp;
  hp.rounds = 30;
  hp.max_depth = 4;
  hp.eta = 0.2;
  hp.forest_trees = 60;
  return hp;
}

class ModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    beers_ = testdata::PunkapiBeers();
    ASSERT_EQ(beers_.size(), 325u);
  }
  TrainRequest Request(bool evaluate = false) {
    TrainRequest r;
    r.hp = FastHp();
    r.evaluate = evaluate;
    r.folds = 3;
    r.repeats = 1;
    return r;
  }
  std::vector<beer::CleanedBeer> beers_;
  brewline::testing::TempDir dir_;
};

TEST_F(ModelTest, TrainingIsDeterministicForASeed) {
  auto a = BuildModel(beers_, Request(), 0);
  auto b = BuildModel(beers_, Request(), 0);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->model_json, b->model_json);
  EXPECT_FALSE(a->forest_json.empty());
  EXPECT_EQ(a->forest_json, b->forest_json);
  EXPECT_EQ(a->metadata.data_fingerprint, b->metadata.data_fingerprint);
  TrainRequest other = Request();
  other.hp.seed = 7;
  auto c = BuildModel(beers_, other, 0);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->model_json, c->model_json);  // subsampling follows the seed
  EXPECT_NE(a->forest_json, c->forest_json);
}

TEST_F(ModelTest, CrossValidationLearnsFarAboveMajority) {
  auto data = BuildDataset(beers_, Bands(), {});
  ASSERT_TRUE(data.ok());
  auto folds = MakeStratifiedFolds(data->band, Bands(), 5, 1, 0);
  ASSERT_TRUE(folds.ok());
  auto cv = CrossValidate(*data, Bands(), *folds, FastHp());
  ASSERT_TRUE(cv.ok()) << cv.status().ToString();
  EXPECT_EQ(cv->rows, 318);
  EXPECT_EQ(static_cast<int>(cv->oof.size()), 318);
  // Majority class scores ≈0.07 macro-F1 and ≈0.26 accuracy; any real model is far above.
  EXPECT_GT(cv->macro_f1.mean, 0.30);
  EXPECT_GT(cv->within_one_band.mean, cv->accuracy.mean);
  EXPECT_GT(cv->mae_ibu.mean, 5);
  EXPECT_LT(cv->mae_ibu.mean, 40);
  int total = 0;
  for (const auto& row : cv->pooled.confusion) for (int v : row) total += v;
  EXPECT_EQ(total, 318);
}

TEST_F(ModelTest, PublishListLoadPredict) {
  store::FsObjectStore store(PosixFileSystem::Get(), dir_.path());
  ModelRegistry registry(store);
  EXPECT_EQ(IbuClassifier::Load(store).status().code(), StatusCode::kNotFound);
  for (int expected = 1; expected <= 2; ++expected) {
    auto built = BuildModel(beers_, Request(), 1700000000000);
    ASSERT_TRUE(built.ok());
    auto v = registry.Publish(built->model_json, &built->metadata, built->forest_json);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_EQ(*v, expected);
  }
  auto versions = registry.ListVersions();
  ASSERT_TRUE(versions.ok());
  EXPECT_EQ(*versions, (std::vector<int>{1, 2}));
  auto clf = IbuClassifier::Load(store);
  ASSERT_TRUE(clf.ok()) << clf.status().ToString();
  EXPECT_EQ((*clf)->version(), 2);
  EXPECT_EQ((*clf)->metadata().training_rows, 318);
  EXPECT_EQ((*clf)->metadata().created_at, "2023-11-14T22:13:20Z");

  // A pale, light beer and an imperial IPA-like beer land in plausible, different bands.
  beer::CleanedBeer light;
  light.id = 1;
  light.abv = 3;
  light.target_og = 1030;
  light.target_fg = 1008;
  light.ebc = 8;
  light.srm = 4;
  light.ph = 4.4;
  auto p = (*clf)->Predict(light);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->version, 2);
  ASSERT_EQ(p->probabilities.size(), 6u);
  double sum = 0;
  for (float x : p->probabilities) sum += x;
  EXPECT_NEAR(sum, 1.0, 1e-4);
  EXPECT_LE(p->band, 2);
  EXPECT_EQ(p->band_low, Bands().low(p->band));

  beer::CleanedBeer none;
  none.id = 9;
  auto err = (*clf)->Predict(none);
  EXPECT_EQ(err.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(err.status().message().find("every feature"), std::string::npos);

  auto v1 = IbuClassifier::Load(store, 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ((*v1)->version(), 1);
  EXPECT_EQ(IbuClassifier::Load(store, 9).status().code(), StatusCode::kNotFound);
}

TEST_F(ModelTest, PredictionIsThreadSafeAndMatchesBatch) {
  auto built = BuildModel(beers_, Request(), 0);
  ASSERT_TRUE(built.ok());
  built->metadata.version = 1;
  auto clf = IbuClassifier::FromFiles(built->model_json, MetadataToJson(built->metadata), built->forest_json);
  ASSERT_TRUE(clf.ok()) << clf.status().ToString();
  std::vector<int> expected;
  for (const auto& b : beers_) {
    auto p = (*clf)->Predict(b);
    expected.push_back(p.ok() ? p->band : -1);
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Prediction p;
      for (int rep = 0; rep < 3; ++rep) {
        for (size_t i = 0; i < beers_.size(); ++i) {
          if (!(*clf)->PredictInto(beers_[i], &p).ok() || p.band != expected[i]) mismatches[t]++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
  // Training-set accuracy of the final model is well above chance (it is a fit, not an estimate).
  int correct = 0;
  for (int i = 0; i < built->data.rows(); ++i) {
    for (size_t j = 0; j < beers_.size(); ++j) {
      if (beers_[j].id == built->data.ids[i]) correct += expected[j] == built->data.band[i];
    }
  }
  EXPECT_GT(correct, built->data.rows() / 2);

  // Serving computes what cross-validation computes: the same blend of booster and forest, the same decision.
  auto trained = TrainClassifier(built->data, {}, Bands(), FastHp());
  ASSERT_TRUE(trained.ok());
  ASSERT_TRUE(trained->forest.has_value());
  std::vector<float> probs;
  ASSERT_TRUE(trained->PredictProbabilities(built->data.features.data(), built->data.rows(), &probs).ok());
  int same = 0;
  for (int i = 0; i < built->data.rows(); ++i) {
    const int band = DecideBand(trained->correction, probs.data() + static_cast<size_t>(i) * 6, 6);
    for (size_t j = 0; j < beers_.size(); ++j) {
      if (beers_[j].id == built->data.ids[i]) same += expected[j] == band;
    }
  }
  EXPECT_EQ(same, built->data.rows());
}

TEST_F(ModelTest, CorruptOrMismatchedModelsFailClearly) {
  auto built = BuildModel(beers_, Request(), 0);
  ASSERT_TRUE(built.ok());
  store::FsObjectStore store(PosixFileSystem::Get(), dir_.path());
  ModelRegistry registry(store);
  ASSERT_TRUE(registry.Publish(built->model_json, &built->metadata, built->forest_json).ok());
  const std::string meta = MetadataToJson(built->metadata);

  // Truncated model.json (checksum catches it).
  ASSERT_TRUE(store.Put("models", "ibu-classifier/v1/model.json", built->model_json.substr(0, 100)).ok());
  auto s = IbuClassifier::Load(store).status();
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("model v1"), std::string::npos);

  // The forest: altered (checksum), gone, or unreadable and structurally broken without a checksum.
  ASSERT_TRUE(store.Put("models", "ibu-classifier/v1/model.json", built->model_json).ok());
  ASSERT_TRUE(IbuClassifier::Load(store).ok());
  ASSERT_TRUE(store.Put("models", "ibu-classifier/v1/forest.json", built->forest_json + " ").ok());
  s = IbuClassifier::Load(store).status();
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.ToString();
  EXPECT_NE(s.message().find("forest.json"), std::string::npos) << s.ToString();
  ASSERT_TRUE(store.Delete("models", "ibu-classifier/v1/forest.json").ok());
  s = IbuClassifier::Load(store).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  EXPECT_NE(s.message().find("forest.json"), std::string::npos) << s.ToString();

  // Garbage model without a checksum to hide behind.
  ModelMetadata no_sum = built->metadata;
  no_sum.model_sha256.clear();
  no_sum.forest_sha256.clear();
  auto garbage = IbuClassifier::FromFiles("{\"learner\": 12", MetadataToJson(no_sum), built->forest_json);
  EXPECT_EQ(garbage.status().code(), StatusCode::kCorruption) << garbage.status().ToString();
  EXPECT_EQ(IbuClassifier::FromFiles("\x01\x02 binary", MetadataToJson(no_sum), built->forest_json).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(IbuClassifier::FromFiles(built->model_json, MetadataToJson(no_sum), built->forest_json.substr(0, 500))
                .status()
                .code(),
            StatusCode::kCorruption);
  std::string cyclic = built->forest_json;
  const size_t left = cyclic.find("\"left\":[1,");
  ASSERT_NE(left, std::string::npos);
  cyclic.replace(left, 10, "\"left\":[0,");  // the first root's left child points back at itself
  auto broken = IbuClassifier::FromFiles(built->model_json, MetadataToJson(no_sum), cyclic);
  EXPECT_EQ(broken.status().code(), StatusCode::kFailedPrecondition) << broken.status().ToString();
  EXPECT_EQ(IbuClassifier::FromFiles(built->model_json, MetadataToJson(no_sum)).status().code(),
            StatusCode::kFailedPrecondition);  // metadata names a forest, none given

  // Metadata from another feature set / format / bands.
  std::string other_features = meta;
  other_features.replace(other_features.find("\"ebc_per_srm\""), 13, "\"hop_ratio\"");
  auto f = IbuClassifier::FromFiles(built->model_json, other_features, built->forest_json);
  EXPECT_EQ(f.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(f.status().message().find("features"), std::string::npos);
  std::string other_format = meta;
  other_format.replace(other_format.find("\"format_version\": 2"), 19, "\"format_version\": 9");
  EXPECT_EQ(IbuClassifier::FromFiles(built->model_json, other_format, built->forest_json).status().code(),
            StatusCode::kFailedPrecondition);
  ModelMetadata three_bands = no_sum;
  three_bands.bands = *Bands::Parse("30,60");
  three_bands.correction.resize(3);
  three_bands.band_counts.resize(3);
  auto b = IbuClassifier::FromFiles(built->model_json, MetadataToJson(three_bands), built->forest_json);
  EXPECT_EQ(b.status().code(), StatusCode::kFailedPrecondition) << b.status().ToString();
  EXPECT_EQ(IbuClassifier::FromFiles(built->model_json, "not json").status().code(), StatusCode::kCorruption);

  // A broken latest pointer.
  ASSERT_TRUE(store.Put("models", "ibu-classifier/latest", "banana").ok());
  EXPECT_EQ(IbuClassifier::Load(store).status().code(), StatusCode::kCorruption);
}

TEST_F(ModelTest, EmptyBandIsAnErrorForTraining) {
  TrainRequest r = Request();
  r.bands = *Bands::Parse("20,40,60,80,100,2000");  // nothing at or above 2000 IBU
  auto s = BuildModel(beers_, r, 0).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("[2000,inf) has no training rows"), std::string::npos) << s.ToString();
}

}  // namespace
}  // namespace brewline::ml
