#include "server_fixture.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "beer/json_array.h"
#include "common/file_system.h"
#include "ml/model_builder.h"
#include "ml/model_registry.h"
#include "ml/punkapi_data.h"

namespace brewline::server::testing {

int PublishModel(store::ObjectStore& store, int variant, bool evaluate) {
  // Training is the slow part: build each variant once per process, publish as often as asked.
  static std::mutex mu;
  static std::map<std::pair<int, bool>, ml::TrainOutcome> built;
  std::lock_guard<std::mutex> lock(mu);
  auto key = std::make_pair(variant, evaluate);
  if (built.count(key) == 0) {
    ml::TrainRequest req;
    req.evaluate = evaluate;
    req.folds = 3;
    req.repeats = 1;
    req.hp.rounds = 60 + 20 * variant;
    req.hp.seed = static_cast<uint64_t>(variant);
    auto out = ml::BuildModel(ml::testdata::PunkapiBeers(), req, 1700000000000);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return 0;
    built.emplace(key, std::move(*out));
  }
  ml::TrainOutcome& o = built.at(key);
  ml::ModelMetadata md = o.metadata;
  ml::ModelRegistry registry(store);
  auto v = registry.Publish(o.model_json, &md, o.forest_json);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : 0;
}

const std::vector<std::string>& RawBeers() {
  static const std::vector<std::string> beers = [] {
    std::vector<std::string> out;
    auto text = PosixFileSystem::Get().ReadFile(ml::testdata::PunkapiJsonPath());
    EXPECT_TRUE(text.ok());
    if (!text.ok()) return out;
    auto items = beer::SplitJsonArray(*text);
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    if (items.ok()) {
      for (const auto& s : *items) out.emplace_back(s.text);
    }
    return out;
  }();
  return beers;
}

}  // namespace brewline::server::testing
