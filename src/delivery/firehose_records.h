// The JSON shapes Firehose exchanges with a transformation Lambda and writes to the error output, built and
// checked here so the delivery engine treats any processor (in process, or a real Lambda) as Firehose would.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::delivery {

// One source record as the transformation event carries it.
struct SourceRecord {
  std::string record_id;
  int64_t arrival_ms = 0;
  std::string_view data;  // raw bytes (base64 on the wire); must outlive the call that uses it
  std::string shard_id;
  std::string partition_key;
  std::string sequence_number;
};

struct TransformEventHeader {
  std::string invocation_id;
  std::string delivery_stream_arn;
  std::string source_stream_arn;
  std::string region;
};

// Appends `{invocationId, deliveryStreamArn, sourceKinesisStreamArn, region, records:[…]}`.
void AppendTransformEvent(std::string* out, const TransformEventHeader& header, const std::vector<SourceRecord>& records);

enum class RecordResult { kOk, kDropped, kProcessingFailed };

// What became of one input record after checking the response.
struct TransformedRecord {
  RecordResult result = RecordResult::kProcessingFailed;
  std::string data;           // decoded output data (kOk)
  std::string error_code;     // kProcessingFailed: e.g. "Lambda.ProcessingFailed", "Lambda.MissingRecordId"
  std::string error_message;
};

struct CheckedResponse {
  std::vector<TransformedRecord> records;  // one per expected id, same order
  std::vector<std::string> unknown_ids;    // ids in the response that were not sent (ignored)
};

// Error codes written to the error output.
inline constexpr const char* kErrorProcessingFailed = "Lambda.ProcessingFailed";
inline constexpr const char* kErrorMissingRecordId = "Lambda.MissingRecordId";
inline constexpr const char* kErrorDuplicatedRecordId = "Lambda.DuplicatedRecordId";
inline constexpr const char* kErrorInvalidOutput = "Lambda.InvalidOutput";
inline constexpr const char* kErrorFunctionError = "Lambda.FunctionError";

// Checks a transformation response against the ids that were sent, as Firehose does: every recordId must come
// back exactly once. A missing id fails that record (MissingRecordId); an id returned twice fails it
// (DuplicatedRecordId); an unknown id is reported in unknown_ids; a bad `result`, or `Ok` without valid base64
// `data`, fails that record (InvalidOutput). A response that is not JSON or has no `records` array is an
// InvalidArgument: the whole invocation failed.
Result<CheckedResponse> CheckTransformResponse(std::string_view response_json,
                                               const std::vector<std::string>& expected_ids);

// One line of Firehose's error output (newline included):
// {"attemptsMade","arrivalTimestamp","errorCode","errorMessage","attemptEndingTimestamp","rawData","lambdaArn"}.
struct ErrorRecord {
  int attempts_made = 1;
  int64_t arrival_ms = 0;
  std::string error_code;
  std::string error_message;
  int64_t attempt_ending_ms = 0;
  std::string_view raw_data;  // raw bytes; base64-encoded into rawData
  std::string lambda_arn;
};
void AppendErrorRecordLine(std::string* out, const ErrorRecord& record);

}  // namespace brewline::delivery
