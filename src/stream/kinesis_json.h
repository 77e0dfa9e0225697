// Kinesis-shaped JSON for the stream's read-only answers, exactly as the Kinesis API returns them (so the CLI,
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

}  // namespace brewline::stream
