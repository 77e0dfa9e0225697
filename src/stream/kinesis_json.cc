#include "stream/kinesis_json.h"

#include <nlohmann/json.hpp>

#include "common/base64.h"

namespace brewline::stream {

std::string ListShardsJson(const std::vector<ShardInfo>& shards) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& s : shards) {
    nlohmann::ordered_json range = {{"StartingSequenceNumber", s.starting_sequence_number}};
    if (!s.ending_sequence_number.empty()) range["EndingSequenceNumber"] = s.ending_sequence_number;
    list.push_back({{"ShardId", s.shard_id},
                    {"HashKeyRange", {{"StartingHashKey", s.starting_hash_key}, {"EndingHashKey", s.ending_hash_key}}},
                    {"SequenceNumberRange", range}});
  }
  nlohmann::ordered_json out = {{"Shards", list}};
  return out.dump();
}

std::string DescribeStreamSummaryJson(const StreamSummary& s) {
  nlohmann::ordered_json summary = {
      {"StreamName", s.stream_name},
      {"StreamARN", s.stream_arn},
      {"StreamStatus", s.stream_status},
      {"StreamModeDetails", {{"StreamMode", "PROVISIONED"}}},
      {"RetentionPeriodHours", s.retention_period_hours},
      {"StreamCreationTimestamp", static_cast<double>(s.creation_ms) / 1000.0},
      {"EnhancedMonitoring", nlohmann::ordered_json::array({{{"ShardLevelMetrics", nlohmann::ordered_json::array()}}})},
      {"EncryptionType", s.encryption_type},
      {"OpenShardCount", s.open_shard_count},
      {"ConsumerCount", 0}};
  nlohmann::ordered_json out = {{"StreamDescriptionSummary", summary}};
  return out.dump();
}

std::string RecordJson(const Record& r) {
  nlohmann::ordered_json out = {{"SequenceNumber", r.sequence_number},
                                {"ApproximateArrivalTimestamp", static_cast<double>(r.approximate_arrival_ms) / 1000.0},
                                {"PartitionKey", r.partition_key},
                                {"Data", Base64Encode(r.data)}};
  return out.dump();
}

std::string PutRecordsJson(const PutRecordsOutput& output) {
  nlohmann::ordered_json records = nlohmann::ordered_json::array();
  for (const auto& r : output.records) {
    if (r.ok()) {
      records.push_back({{"SequenceNumber", r.sequence_number}, {"ShardId", r.shard_id}});
    } else {
      records.push_back({{"ErrorCode", r.error_code}, {"ErrorMessage", r.error_message}});
    }
  }
  nlohmann::ordered_json out = {{"FailedRecordCount", output.failed_record_count}, {"Records", records}};
  return out.dump();
}

std::string ErrorJson(const Status& status) {
  nlohmann::ordered_json out = {{"__type", status.type().empty() ? "InternalFailure" : status.type()},
                                {"message", status.message()}};
  return out.dump();
}

}  // namespace brewline::stream
