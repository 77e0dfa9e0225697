#include "delivery/firehose_records.h"

#include <simdjson.h>

#include <unordered_map>

#include "common/base64.h"
#include "common/json_escape.h"

namespace brewline::delivery {

void AppendTransformEvent(std::string* out, const TransformEventHeader& header,
                          const std::vector<SourceRecord>& records) {
  out->append("{\"invocationId\":");
  AppendJsonString(out, header.invocation_id);
  out->append(",\"deliveryStreamArn\":");
  AppendJsonString(out, header.delivery_stream_arn);
  out->append(",\"sourceKinesisStreamArn\":");
  AppendJsonString(out, header.source_stream_arn);
  out->append(",\"region\":");
  AppendJsonString(out, header.region);
  out->append(",\"records\":[");
  bool first = true;
  for (const SourceRecord& r : records) {
    if (!first) out->push_back(',');
    first = false;
    out->append("{\"recordId\":");
    AppendJsonString(out, r.record_id);
    out->append(",\"approximateArrivalTimestamp\":");
    out->append(std::to_string(r.arrival_ms));
    out->append(",\"data\":\"");
    Base64EncodeAppend(out, r.data);
    out->append("\",\"kinesisRecordMetadata\":{\"shardId\":");
    AppendJsonString(out, r.shard_id);
    out->append(",\"partitionKey\":");
    AppendJsonString(out, r.partition_key);
    out->append(",\"approximateArrivalTimestamp\":");
    out->append(std::to_string(r.arrival_ms));
    out->append(",\"sequenceNumber\":");
    AppendJsonString(out, r.sequence_number);
    out->append(",\"subsequenceNumber\":0}}");
  }
  out->append("]}");
}

Result<CheckedResponse> CheckTransformResponse(std::string_view response_json,
                                               const std::vector<std::string>& expected_ids) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(response_json.data(), response_json.size(), true).get(root)) {
    return InvalidArgument(std::string("transformation response: malformed JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::array records;
  if (root["records"].get_array().get(records) != simdjson::SUCCESS) {
    return InvalidArgument("transformation response: no 'records' array");
  }
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(expected_ids.size());
  for (size_t i = 0; i < expected_ids.size(); ++i) index.emplace(expected_ids[i], i);

  CheckedResponse checked;
  checked.records.resize(expected_ids.size());
  std::vector<int> seen(expected_ids.size(), 0);
  auto fail = [](TransformedRecord* r, const char* code, std::string message) {
    r->result = RecordResult::kProcessingFailed;
    r->data.clear();
    r->error_code = code;
    r->error_message = std::move(message);
  };
  for (simdjson::dom::element rec : records) {
    std::string_view id;
    if (rec["recordId"].get_string().get(id) != simdjson::SUCCESS) {
      checked.unknown_ids.emplace_back("<no recordId>");
      continue;
    }
    auto it = index.find(id);
    if (it == index.end()) {
      checked.unknown_ids.emplace_back(id);
      continue;
    }
    TransformedRecord* out = &checked.records[it->second];
    if (++seen[it->second] > 1) {
      fail(out, kErrorDuplicatedRecordId, "recordId returned more than once by the transformation");
      continue;
    }
    std::string_view result, data;
    if (rec["result"].get_string().get(result) != simdjson::SUCCESS) {
      fail(out, kErrorInvalidOutput, "transformed record has no string 'result'");
      continue;
    }
    if (result == "Ok") {
      if (rec["data"].get_string().get(data) != simdjson::SUCCESS) {
        fail(out, kErrorInvalidOutput, "transformed record with result Ok has no string 'data'");
        continue;
      }
      auto decoded = Base64Decode(data);
      if (!decoded.ok()) {
        fail(out, kErrorInvalidOutput, "transformed record 'data' is not valid base64");
        continue;
      }
      out->result = RecordResult::kOk;
      out->data = std::move(*decoded);
    } else if (result == "Dropped") {
      out->result = RecordResult::kDropped;
    } else if (result == "ProcessingFailed") {
      fail(out, kErrorProcessingFailed, "the transformation marked the record ProcessingFailed");
    } else {
      fail(out, kErrorInvalidOutput, "unknown transformation result '" + std::string(result.substr(0, 40)) + "'");
    }
  }
  for (size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] == 0) {
      fail(&checked.records[i], kErrorMissingRecordId, "recordId missing from the transformation response");
    }
  }
  return checked;
}

void AppendErrorRecordLine(std::string* out, const ErrorRecord& r) {
  out->append("{\"attemptsMade\":");
  out->append(std::to_string(r.attempts_made));
  out->append(",\"arrivalTimestamp\":");
  out->append(std::to_string(r.arrival_ms));
  out->append(",\"errorCode\":");
  AppendJsonString(out, r.error_code);
  out->append(",\"errorMessage\":");
  AppendJsonString(out, r.error_message);
  out->append(",\"attemptEndingTimestamp\":");
  out->append(std::to_string(r.attempt_ending_ms));
  out->append(",\"rawData\":\"");
  Base64EncodeAppend(out, r.raw_data);
  out->append("\",\"lambdaArn\":");
  AppendJsonString(out, r.lambda_arn);
  out->append("}\n");
}

}  // namespace brewline::delivery
