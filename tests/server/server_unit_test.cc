// Pure parts of the server: the prediction line format, live quality and drift, request parsing.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/live_quality.h"
#include "server/openapi.h"
#include "server/predict_request.h"
#include "server/prediction_record.h"

namespace brewline::server {
namespace {

TEST(PredictionRecord, RoundTripsAndUsesNullForUnknowns) {
  PredictionRecord r;
  r.id = 7;
  r.name = "Quote \"me\"";
  r.predicted_band = 5;
  r.predicted_range = "[100,inf)";
  r.band_low = 100;
  r.probabilities = {0.1, 0.2, 0.7};
  r.model_version = 3;
  r.arrival_ms = 1764230000123;
  r.shard_id = "shardId-000000000000";
  r.sequence_number = "123";
  std::string line;
  AppendPredictionLine(&line, r);
  ASSERT_EQ(line.back(), '\n');
  auto j = nlohmann::json::parse(line);
  EXPECT_TRUE(j["band_high"].is_null());
  EXPECT_TRUE(j["ibu"].is_null());
  EXPECT_TRUE(j["actual_band"].is_null());
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(j["arrival_time"], "2025-11-27T07:53:20.123Z");
  auto back = ParsePredictionLine(line);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->name, r.name);
  EXPECT_EQ(back->predicted_band, 5);
  EXPECT_EQ(back->probabilities, r.probabilities);
  EXPECT_FALSE(back->band_high.has_value());
  EXPECT_FALSE(ParsePredictionLine("{\"id\":\"x\"}").ok());
  EXPECT_FALSE(ParsePredictionLine("not json").ok());
}

TEST(LiveQuality, MacroF1OverPresentLabels) {
  EXPECT_DOUBLE_EQ(MacroF1({0, 0, 1, 1}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(MacroF1({0, 0}, {1, 1}), 0.0);
  // label 0: p=1 r=.5 f1=2/3; label 1: p=.5 r=1 f1=2/3
  EXPECT_NEAR(MacroF1({0, 0, 1}, {0, 1, 1}), 2.0 / 3.0, 1e-12);
}

TEST(LiveQuality, PerVersionRollingWindowAndDriftFlag) {
  std::vector<QualitySample> samples;
  for (int i = 0; i < 30; ++i) samples.push_back({1, i % 3, i % 3, 1000 + i});       // v1 perfect
  for (int i = 0; i < 30; ++i) samples.push_back({2, (i + 1) % 3, i % 3, 2000 + i});  // v2 always wrong
  std::map<int, CvScore> cv = {{1, {0.6, 0.02, 0.6}}, {2, {0.6, 0.02, 0.6}}};
  LiveQualityOptions opt;
  opt.window = 20;
  opt.min_samples = 20;
  auto report = ComputeLiveQuality(samples, cv, opt);
  ASSERT_EQ(report.versions.size(), 2u);
  EXPECT_EQ(report.versions[0].samples, 30);
  EXPECT_EQ(report.versions[0].window, 20);
  EXPECT_DOUBLE_EQ(report.versions[0].accuracy, 1.0);
  EXPECT_FALSE(report.versions[0].drift);
  EXPECT_DOUBLE_EQ(report.versions[1].accuracy, 0.0);
  EXPECT_TRUE(report.versions[1].drift);
  EXPECT_NE(report.versions[1].drift_reason.find("below"), std::string::npos);
  EXPECT_EQ(report.series.size(), 60u);
  // Too few samples: no drift verdict yet.
  samples.resize(40);
  report = ComputeLiveQuality(samples, cv, opt);
  EXPECT_FALSE(report.versions[1].drift);
  auto j = nlohmann::json::parse(LiveQualityJson(report));
  EXPECT_EQ(j["versions"].size(), 2u);
  EXPECT_FALSE(j["drift"].get<bool>());
}

TEST(LiveQuality, CvScoreFromModelMetrics) {
  auto s = CvScoreFromMetrics(R"({"accuracy":{"mean":0.5,"std":0.1},"macro_f1":{"mean":0.4,"std":0.05}})");
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ(s->macro_f1, 0.4);
  EXPECT_DOUBLE_EQ(s->macro_f1_std, 0.05);
  EXPECT_FALSE(CvScoreFromMetrics("null").has_value());
}

TEST(PredictRequest, SingleBatchAndWrapperShapes) {
  PredictRequest r;
  EXPECT_FALSE(ParsePredictRequest(R"({"abv":5.2,"ph":null,"description":"ignored"})", 10, &r));
  EXPECT_FALSE(r.batch);
  ASSERT_EQ(r.beers.size(), 1u);
  EXPECT_EQ(r.beers[0].abv, 5.2);
  EXPECT_FALSE(r.beers[0].ph.has_value());
  PredictRequest b;
  EXPECT_FALSE(ParsePredictRequest(R"([{"abv":5},{"ebc":10,"id":3,"name":"x"}])", 10, &b));
  EXPECT_TRUE(b.batch);
  EXPECT_EQ(b.beers.size(), 2u);
  EXPECT_TRUE(b.has_id[1]);
  PredictRequest w;
  EXPECT_FALSE(ParsePredictRequest(R"({"beers":[{"srm":3}]})", 10, &w));
  EXPECT_TRUE(w.batch);
}

TEST(PredictRequest, ErrorsNameTheField) {
  auto err = [](std::string_view body) {
    PredictRequest r;
    auto e = ParsePredictRequest(body, 2, &r);
    return e ? e->field + ": " + e->message : std::string("no error");
  };
  EXPECT_EQ(err("{"), ": the body is not valid JSON");
  EXPECT_EQ(err(R"({"abv":"strong"})"), "abv: expected a number or null, got string");
  EXPECT_EQ(err(R"({"abv":5,"id":0})").substr(0, 4), "id: ");
  EXPECT_EQ(err(R"({"abv":5,"name":1})"), "name: expected a string, got number");
  EXPECT_EQ(err(R"({"ibu":50})").substr(0, 5), "abv: ");
  EXPECT_EQ(err(R"({})").substr(0, 5), "abv: ");
  EXPECT_EQ(err(R"(42)"), ": expected a beer object, got number");
  EXPECT_EQ(err(R"([{"abv":1},{"abv":true}])"), "beers[1].abv: expected a number or null, got boolean");
  EXPECT_EQ(err(R"([])"), "beers: the batch is empty");
  EXPECT_EQ(err(R"({"beers":{}})"), "beers: expected an array, got object");
  EXPECT_EQ(err(R"([{"abv":1},{"abv":1},{"abv":1}])").substr(0, 7), "beers: ");
}

TEST(OpenApi, ParsesAndNamesEveryRoute) {
  auto j = nlohmann::json::parse(OpenApiJson());
  EXPECT_EQ(j["openapi"], "3.0.3");
  for (const char* p : {"/v1/predict", "/v1/status", "/v1/buckets/{bucket}", "/v1/openapi.json", "/metrics"}) {
    EXPECT_TRUE(j["paths"].contains(p)) << p;
  }
}

}  // namespace
}  // namespace brewline::server
