// Kinesis-shaped JSON for the stream's answers and errors, exactly as the Kinesis API returns them (so the CLI,
// the local HTTP endpoint and tests compare against AWS's own shapes). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "stream/stream.h"

namespace brewline::stream {

// {"Shards":[{"ShardId","HashKeyRange":{"StartingHashKey","EndingHashKey"},"SequenceNumberRange":{…}}]}
std::string ListShardsJson(const std::vector<ShardInfo>& shards);
// {"StreamDescriptionSummary":{"StreamName","StreamARN","StreamStatus",…}}
std::string DescribeStreamSummaryJson(const StreamSummary& summary);
// One GetRecords record: {"SequenceNumber","ApproximateArrivalTimestamp","PartitionKey","Data"} (base64, epoch s).
std::string RecordJson(const Record& record);
// {"FailedRecordCount":n,"Records":[{"SequenceNumber","ShardId"} | {"ErrorCode","ErrorMessage"}]}, in input order.
std::string PutRecordsJson(const PutRecordsOutput& output);
// The body of a Kinesis error response (HTTP 400): {"__type":"<Status::type()>","message":"…"}; "InternalFailure"
// when the status carries no type.
std::string ErrorJson(const Status& status);

}  // namespace brewline::stream
