// The HTTP API over real sockets: valid and invalid requests, limits, methods, content types, listings.
#include "server/api_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "common/clock.h"
#include "server_fixture.h"
#include "store/fs_object_store.h"
#include "testing/temp_dir.h"

namespace brewline::server {
namespace {

using Json = nlohmann::json;

class ApiServerTest : public ::testing::Test {
 protected:
  void StartServer(bool with_model) {
    store_ = std::make_unique<store::FsObjectStore>(PosixFileSystem::Get(), store::BucketsDir(dir_.path()));
    if (with_model) {
      ASSERT_EQ(testing::PublishModel(*store_, 0), 1);
    }
    ApiServerOptions o;
    o.data_dir = dir_.path();
    o.max_body_bytes = 64 * 1024;
    o.max_batch = 50;
    ApiServerEnv e;
    e.fs = &PosixFileSystem::Get();
    e.clock = &SystemClock::Get();
    e.store = store_.get();
    e.metrics = &metrics_;
    e.pipeline_status = [] { return std::string(R"({"run":{"ingested":3},"buckets":[]})"); };
    server_ = std::make_unique<ApiServer>(o, e);
    ASSERT_TRUE(server_->Start("127.0.0.1", 0).ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  httplib::Result Post(const std::string& body, const std::string& type = "application/json") {
    return client_->Post("/v1/predict", body, type);
  }

  static Json Body(const httplib::Result& r) { return Json::parse(r->body, nullptr, false); }
  static std::string Field(const httplib::Result& r) {
    Json j = Body(r);
    return j["error"]["field"].is_null() ? "<null>" : j["error"]["field"].get<std::string>();
  }

  brewline::testing::TempDir dir_;
  MetricsRegistry metrics_;
  std::unique_ptr<store::FsObjectStore> store_;
  std::unique_ptr<ApiServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ApiServerTest, PredictsOneBeerABatchAndAPunkApiBeer) {
  StartServer(true);
  auto r = Post(R"({"abv":6.5,"target_og":1060,"target_fg":1012,"ebc":20,"srm":10,"ph":4.4})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->get_header_value("Content-Type").find("application/json"), std::string::npos);
  Json j = Body(r);
  EXPECT_EQ(j["model_version"], 1);
  ASSERT_TRUE(j["band"].is_number_integer());
  EXPECT_EQ(j["probabilities"].size(), 6u);
  double sum = 0;
  for (auto& [k, v] : j["probabilities"].items()) sum += v.get<double>();
  EXPECT_NEAR(sum, 1.0, 1e-4);
  EXPECT_TRUE(j["range"].get<std::string>().front() == '[');

  r = Post(R"({"beers":[{"abv":4.0,"id":5,"name":"light"},{"abv":12,"target_og":1110,"ebc":150}]})");
  ASSERT_EQ(r->status, 200) << r->body;
  j = Body(r);
  ASSERT_EQ(j["predictions"].size(), 2u);
  EXPECT_EQ(j["predictions"][0]["id"], 5);
  EXPECT_EQ(j["predictions"][0]["name"], "light");
  EXPECT_FALSE(j["predictions"][1].contains("id"));

  const std::string& punk = testing::RawBeers()[0];
  r = Post(punk, "application/json; charset=utf-8");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(Body(r).contains("id"));
  r = Post("[" + punk + "," + testing::RawBeers()[1] + "]");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(Body(r)["predictions"].size(), 2u);
}

TEST_F(ApiServerTest, RejectsBadRequestsNamingTheField) {
  StartServer(true);
  auto r = Post("{\"abv\": 5,");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "<null>");
  EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("JSON"), std::string::npos);
  r = Post(R"({"abv":"five"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "abv");
  r = Post(R"({"ibu":40,"name":"no features"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "abv");
  r = Post(R"([{"abv":5},{"ph":[1]}])");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "beers[1].ph");
  r = Post(R"({"abv":5,"id":-3})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "id");
  // Batch limits.
  r = Post("[]");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "beers");
  std::string big = "[";
  for (int i = 0; i < 51; ++i) big += std::string(i ? "," : "") + R"({"abv":5})";
  r = Post(big + "]");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "beers");
  // Body size.
  r = Post("{\"abv\":5,\"pad\":\"" + std::string(70 * 1024, 'x') + "\"}");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(Body(r)["error"]["status"], 413);
  // Content types.
  r = Post(R"({"abv":5})", "text/plain");
  EXPECT_EQ(r->status, 415);
  EXPECT_EQ(Field(r), "Content-Type");
  r = Post(R"({"abv":5})", "application/x-www-form-urlencoded");
  EXPECT_EQ(r->status, 415);
  // The API still works after all that.
  EXPECT_EQ(Post(R"({"abv":5})")->status, 200);
}

TEST_F(ApiServerTest, RefusesWrongMethodsAndUnknownPaths) {
  StartServer(true);
  auto r = client_->Get("/v1/predict");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "POST");
  r = client_->Put("/v1/status", "{}", "application/json");
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->get_header_value("Allow"), "GET, HEAD");
  r = client_->Delete("/v1/buckets/raw");
  EXPECT_EQ(r->status, 405);
  r = client_->Post("/metrics", "", "text/plain");
  EXPECT_EQ(r->status, 405);
  r = client_->Get("/nope");
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(Body(r)["error"]["status"], 404);
}

TEST_F(ApiServerTest, WithoutAModelPredictIs503AndStatusSaysWaiting) {
  StartServer(false);
  auto r = Post(R"({"abv":5})");
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("model"), std::string::npos);
  Json s = Json::parse(server_->StatusJson());
  EXPECT_FALSE(s["model"]["ready"].get<bool>());
  EXPECT_EQ(s["run"]["ingested"], 3);  // the pipeline part is passed through
  // A model published later is picked up without a restart.
  ASSERT_EQ(testing::PublishModel(*store_, 0), 1);
  bool ok = false;
  for (int i = 0; i < 60 && !ok; ++i) {
    ok = Post(R"({"abv":5})")->status == 200;
    if (!ok) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(ok);
}

TEST_F(ApiServerTest, StatusMetricsBucketsOpenApiAndDashboard) {
  StartServer(true);
  ASSERT_TRUE(store_->Put("raw", "2026/11/27/08/a", "x").ok());
  ASSERT_TRUE(store_->Put("raw", "2026/11/27/09/b", "yy").ok());
  auto r = client_->Get("/v1/buckets/raw?prefix=2026/11/27/09/");
  ASSERT_EQ(r->status, 200) << r->body;
  Json j = Body(r);
  ASSERT_EQ(j["objects"].size(), 1u);
  EXPECT_EQ(j["objects"][0]["key"], "2026/11/27/09/b");
  EXPECT_EQ(j["objects"][0]["size"], 2);
  r = client_->Get("/v1/buckets/raw?max_keys=0");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Field(r), "max_keys");
  r = client_->Get("/v1/buckets/Bad_Bucket");
  EXPECT_TRUE(r->status == 400 || r->status == 404) << r->status;

  r = client_->Get("/v1/status");
  ASSERT_EQ(r->status, 200);
  j = Body(r);
  EXPECT_EQ(j["model"]["version"], 1);
  EXPECT_TRUE(j["model"]["cv"].contains("confusion"));
  EXPECT_EQ(j["model"]["predictor"], "compiled");  // the lock-free compiled trees, verified against XGBoost on load
  EXPECT_EQ(j["model"]["forest_trees"], 300);       // blended with its ExtraTrees forest
  EXPECT_EQ(j["scorer"]["state"], "not started");
  EXPECT_TRUE(j["quality"]["versions"].is_array());

  r = client_->Get("/v1/openapi.json");
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(Body(r).contains("paths"));

  Post(R"({"abv":5})");
  r = client_->Get("/metrics");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("brewline_api_predict_requests_total{outcome=\"ok\"}"), std::string::npos);

  r = client_->Get("/");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(r->body.find("predict-form"), std::string::npos);
  r = client_->Get("/app.js");
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("v1/status"), std::string::npos);
  EXPECT_EQ(r->body.find("http://"), std::string::npos);  // no CDN, nothing external
}

}  // namespace
}  // namespace brewline::server
