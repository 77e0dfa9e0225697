// Test data for the delivery tests: the punkapi-db beers as compact JSON documents, and Firehose events.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/base64.h"
#include "testing/temp_dir.h"

namespace brewline::delivery::testdata {

inline std::vector<std::string> LoadBeers() {
  std::ifstream in(testing::SourceDir() + "/.cache/npm/node_modules/punkapi-db/data.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> beers;
  for (const auto& b : nlohmann::json::parse(ss.str())) beers.push_back(b.dump());
  return beers;
}

// A transformation event with one record per `datas` entry, recordIds "r0", "r1", ….
inline std::string MakeEvent(const std::vector<std::string>& datas) {
  nlohmann::json records = nlohmann::json::array();
  for (size_t i = 0; i < datas.size(); ++i) {
    records.push_back({{"recordId", "r" + std::to_string(i)},
                       {"approximateArrivalTimestamp", 1700000000000},
                       {"data", Base64Encode(datas[i])},
                       {"kinesisRecordMetadata",
                        {{"shardId", "shardId-000000000000"},
                         {"partitionKey", "1"},
                         {"approximateArrivalTimestamp", 1700000000000},
                         {"sequenceNumber", std::to_string(1000 + i)},
                         {"subsequenceNumber", 0}}}});
  }
  return nlohmann::json{{"invocationId", "inv"},
                        {"deliveryStreamArn", "arn:aws:firehose:us-east-1:123:deliverystream/cleaned"},
                        {"region", "us-east-1"},
                        {"records", records}}
      .dump();
}

}  // namespace brewline::delivery::testdata
