// SIGKILL at random instants during `brewline deliver --once`, many cycles, then one run to completion:
// every record must be in `raw` exactly once, every valid beer in `cleaned` exactly once, every invalid record
// in the error output exactly once, and every object must be whole.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>

#include <cstdio>
#include <map>
#include <random>
#include <thread>

#include "beers_fixture.h"
#include "common/base64.h"
#include "common/gzip.h"
#include "delivery_fixture.h"
#include "testing/process.h"

namespace brewline::delivery {
namespace {

using nlohmann::json;

TEST(DeliveryCrash, SigkillAtRandomInstantsKeepsExactlyOnce) {
  testdata::DeliveryRig rig(2);
  // Three copies of the dataset with distinct ids, so each record is identifiable in both buckets.
  std::vector<std::string> beers = testdata::LoadBeers();
  std::vector<std::string> records;
  std::map<int64_t, int> expected_ids;
  for (int copy = 0; copy < 3; ++copy) {
    for (const auto& b : beers) {
      json j = json::parse(b);
      int64_t id = j["id"].get<int64_t>() + 1000 * copy;
      j["id"] = id;
      records.push_back(j.dump());
      expected_ids[id] = 1;
    }
  }
  std::vector<std::string> invalid;
  for (int i = 0; i < 20; ++i) invalid.push_back("{\"broken\":" + std::to_string(i) + "}");
  records.insert(records.end(), invalid.begin(), invalid.end());
  rig.Put(records);

  std::mt19937 rng(12345);
  const std::vector<std::string> argv = {testing::BrewlineBinary(), "deliver", "--once", "--data-dir", rig.dir_.path(),
                                         "--buffer-interval", "0s", "--records-per-poll", "2", "--compression",
                                         "gzip", "--log-level", "error"};
  // Two records per object make a whole run hundreds of flushes (each several fsyncs), so early kills land
  // mid-delivery even on a fast, idle machine.
  int killed = 0;
  for (int cycle = 0; cycle < 15; ++cycle) {
    testing::ChildProcess child(argv);
    std::this_thread::sleep_for(std::chrono::milliseconds(5 + rng() % 60));
    if (child.running()) {
      child.Signal(SIGKILL);
      ++killed;
    }
    child.Wait();
  }
  auto last = testing::RunCommand(argv, "", std::chrono::seconds(120));
  ASSERT_EQ(last.exit_code, 0) << last.err;
  EXPECT_GT(killed, 0);
  std::fprintf(stderr, "killed %d of 15 runs mid-delivery\n", killed);

  std::multiset<std::string> raw_lines;
  std::map<int64_t, int> cleaned_ids;
  std::multiset<std::string> failed;
  for (const std::string bucket : {"raw", "cleaned"}) {
    for (const auto& o : rig.Objects(bucket)) {
      auto plain = GzipDecompress(rig.Content(bucket, o.key));
      ASSERT_TRUE(plain.ok()) << "partial object " << o.key;
      for (const auto& line : testdata::SplitLines(*plain)) {
        if (bucket == "raw") {
          raw_lines.insert(line);
        } else if (o.key.rfind("processing-failed/", 0) == 0) {
          failed.insert(*Base64Decode(json::parse(line)["rawData"].get<std::string>()));
        } else {
          cleaned_ids[std::stoll(line.substr(0, line.find(',')))]++;
        }
      }
    }
  }
  EXPECT_EQ(raw_lines, std::multiset<std::string>(records.begin(), records.end()));
  EXPECT_EQ(cleaned_ids, expected_ids);
  EXPECT_EQ(failed, std::multiset<std::string>(invalid.begin(), invalid.end()));
}

}  // namespace
}  // namespace brewline::delivery
