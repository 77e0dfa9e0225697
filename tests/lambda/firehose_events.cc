#include "lambda/firehose_events.h"

#include <fstream>
#include <sstream>

namespace brewline::lambda_testing {

std::vector<std::string> DatasetBeers(size_t n) {
  std::ifstream in(DatasetPath());
  std::stringstream ss;
  ss << in.rdbuf();
  auto all = nlohmann::json::parse(ss.str(), nullptr, false);
  std::vector<std::string> out;
  if (!all.is_array()) return out;
  for (size_t i = 0; i < all.size() && out.size() < n; ++i) out.push_back(all[i].dump());
  return out;
}

std::string FirehoseEvent(const std::vector<std::string>& payloads) {
  nlohmann::json records = nlohmann::json::array();
  int64_t arrival = 1795763955000;
  for (size_t i = 0; i < payloads.size(); ++i) {
    std::string seq = "4959" + std::to_string(1000000 + i);
    records.push_back({{"recordId", "49546986683135544286507457936321625675700192471156785154" + std::to_string(i)},
                       {"approximateArrivalTimestamp", arrival},
                       {"data", Base64Encode(payloads[i])},
                       {"kinesisRecordMetadata",
                        {{"shardId", "shardId-000000000000"},
                         {"partitionKey", std::to_string(i + 1)},
                         {"approximateArrivalTimestamp", arrival},
                         {"sequenceNumber", seq},
                         {"subsequenceNumber", ""}}}});
  }
  nlohmann::json ev = {{"invocationId", "invoked123"},
                       {"deliveryStreamArn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/brewline-cleaned"},
                       {"sourceKinesisStreamArn", "arn:aws:kinesis:us-east-1:123456789012:stream/brewline-beers"},
                       {"region", "us-east-1"},
                       {"records", records}};
  return ev.dump();
}

std::string ScheduledEvent(const std::string& time_iso) {
  nlohmann::json ev = {{"version", "0"},
                       {"id", "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa"},
                       {"detail-type", "Scheduled Event"},
                       {"source", "aws.events"},
                       {"account", "123456789012"},
                       {"time", time_iso},
                       {"region", "us-east-1"},
                       {"resources", {"arn:aws:events:us-east-1:123456789012:rule/brewline-ingest"}},
                       {"detail", nlohmann::json::object()}};
  return ev.dump();
}

}  // namespace brewline::lambda_testing
