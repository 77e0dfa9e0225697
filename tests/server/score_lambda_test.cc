// The score Lambda's handler: Kinesis batches from the event source mapping and function URL requests.
#include "server/score_lambda.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "server/prediction_record.h"
#include "server_fixture.h"
#include "store/fs_object_store.h"
#include "testing/temp_dir.h"

namespace brewline::server {
namespace {

using Json = nlohmann::json;

std::string KinesisEvent(const std::vector<std::string>& datas) {
  Json records = Json::array();
  for (size_t i = 0; i < datas.size(); ++i) {
    const std::string seq = "4960000000000000000000000000000" + std::to_string(10 + i);
    records.push_back({{"eventSource", "aws:kinesis"},
                       {"eventID", "shardId-000000000000:" + seq},
                       {"kinesis", {{"partitionKey", "1"}, {"sequenceNumber", seq}, {"data", Base64Encode(datas[i])},
                                    {"approximateArrivalTimestamp", 1764230000.5 + i}}}});
  }
  return Json{{"Records", records}}.dump();
}

std::string HttpEvent(const std::string& method, const std::string& path, const std::string& type,
                      const std::string& body) {
  return Json{{"requestContext", {{"http", {{"method", method}, {"path", path}}}}},
              {"headers", {{"Content-Type", type}}},
              {"body", body},
              {"isBase64Encoded", false}}
      .dump();
}

class ScoreLambdaTest : public ::testing::Test {
 protected:
  brewline::testing::TempDir dir_;
  FakeClock clock_;
  store::FsObjectStore store_{PosixFileSystem::Get(), store::BucketsDir(dir_.path())};
  ModelHolder models_{store_, clock_};
  ScoreLambdaHandler handler_{store_, models_, clock_};

  std::vector<std::string> Keys(const std::string& prefix = "") {
    store::ListOptions lo;
    lo.prefix = prefix;
    auto page = store_.List("predictions", lo);
    std::vector<std::string> out;
    if (page.ok()) {
      for (auto& o : page->objects) out.push_back(o.key);
    }
    return out;
  }
};

TEST_F(ScoreLambdaTest, WithoutAModelTheWholeBatchFailsForARetry) {
  auto out = handler_.Handle(KinesisEvent({testing::RawBeers()[0]}));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(Json::parse(*out)["batchItemFailures"].size(), 1u);
  EXPECT_TRUE(Keys().empty());
}

TEST_F(ScoreLambdaTest, ScoresABatchIntoOneIdempotentObject) {
  ASSERT_EQ(testing::PublishModel(store_, 0, /*evaluate=*/false), 1);
  const std::string event = KinesisEvent({testing::RawBeers()[0], "not a beer", testing::RawBeers()[1]});
  auto out = handler_.Handle(event);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(Json::parse(*out)["batchItemFailures"].empty());
  ASSERT_TRUE(handler_.Handle(event).ok());  // a retry of the same batch
  auto keys = Keys();
  ASSERT_EQ(keys.size(), 2u) << "one data object and one error object, even after the retry";
  EXPECT_EQ(Keys("processing-failed/").size(), 1u);
  const std::string data_key = keys[0].rfind("processing-failed/", 0) == 0 ? keys[1] : keys[0];
  EXPECT_EQ(data_key.substr(0, 14), "2025/11/27/07/");
  auto data = store_.Get("predictions", data_key);
  ASSERT_TRUE(data.ok());
  size_t lines = 0;
  for (size_t start = 0; start < data->size();) {
    size_t nl = data->find('\n', start);
    auto r = ParsePredictionLine(std::string_view(*data).substr(start, nl - start));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->model_version, 1);
    EXPECT_EQ(r->shard_id, "shardId-000000000000");
    EXPECT_EQ(r->arrival_ms % 1000, 500);
    ++lines;
    start = nl + 1;
  }
  EXPECT_EQ(lines, 2u);
}

TEST_F(ScoreLambdaTest, FunctionUrlServesPredict) {
  ASSERT_EQ(testing::PublishModel(store_, 0, /*evaluate=*/false), 1);
  auto ok = handler_.Handle(HttpEvent("POST", "/v1/predict", "application/json", R"({"abv":7,"ebc":30})"));
  ASSERT_TRUE(ok.ok());
  Json r = Json::parse(*ok);
  EXPECT_EQ(r["statusCode"], 200);
  EXPECT_EQ(Json::parse(r["body"].get<std::string>())["model_version"], 1);
  auto bad = Json::parse(*handler_.Handle(HttpEvent("POST", "/v1/predict", "application/json", R"({"abv":"x"})")));
  EXPECT_EQ(bad["statusCode"], 400);
  EXPECT_EQ(Json::parse(bad["body"].get<std::string>())["error"]["field"], "abv");
  EXPECT_EQ(Json::parse(*handler_.Handle(HttpEvent("POST", "/v1/predict", "text/plain", "{}")))["statusCode"], 415);
  EXPECT_EQ(Json::parse(*handler_.Handle(HttpEvent("GET", "/v1/predict", "", "")))["statusCode"], 405);
  EXPECT_EQ(Json::parse(*handler_.Handle(HttpEvent("POST", "/other", "application/json", "{}")))["statusCode"], 404);
  EXPECT_FALSE(handler_.Handle("{\"something\":1}").ok());
}

}  // namespace
}  // namespace brewline::server
