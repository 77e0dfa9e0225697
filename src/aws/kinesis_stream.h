// KinesisStream: stream::Stream over Kinesis Data Streams (JSON 1.1, X-Amz-Target Kinesis_20131202.<Op>,
// SigV4 "kinesis"). It never creates or deletes streams: a missing stream is NotFound with type
// "ResourceNotFoundException" and a message saying so. Kinesis __type names are kept in Status::type().
// Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aws/aws_client.h"
#include "common/clock.h"
#include "stream/stream.h"

namespace brewline::aws {

class KinesisStream final : public stream::Stream {
 public:
  KinesisStream(std::string stream_name, Endpoint endpoint, std::shared_ptr<AwsClient> client);

  const std::string& name() const override { return name_; }
  Result<stream::PutRecordOutput> PutRecord(const stream::PutRecordInput& input) override;
  Result<stream::PutRecordsOutput> PutRecords(const std::vector<stream::PutRecordInput>& input) override;
  Result<std::vector<stream::ShardInfo>> ListShards() override;
  Result<stream::StreamSummary> DescribeSummary() override;
  Result<std::string> GetShardIterator(const stream::IteratorRequest& request) override;
  Result<stream::GetRecordsOutput> GetRecords(const std::string& iterator, int limit) override;

 private:
  // POSTs one operation and returns the parsed JSON body text, or the mapped error.
  Result<std::string> Call(const std::string& op, const std::string& body);

  std::string name_;
  Endpoint endpoint_;
  std::shared_ptr<AwsClient> client_;
};

// Maps a Kinesis error response (HTTP status + JSON {"__type","message"}) to a Status whose type() is the
// bare exception name ("ResourceNotFoundException", without any "namespace#" prefix).
Status KinesisError(const HttpResponse& response, const std::string& stream_name);
// True for throttling responses a retry may cure (ProvisionedThroughputExceeded, LimitExceeded, Throttling).
bool IsKinesisThrottle(const HttpResponse& response);

// Puts `records` with PutRecords in batches of ≤ 500, retrying only the entries that failed
// (ProvisionedThroughputExceeded / InternalFailure) with capped, jittered backoff, up to policy.max_attempts
// rounds. Returns the final per-entry results in input order (failed ones keep their last error).
Result<stream::PutRecordsOutput> PutRecordsRetryingFailed(stream::Stream& stream,
                                                          const std::vector<stream::PutRecordInput>& records,
                                                          Clock& clock, BackoffPolicy policy = {});

}  // namespace brewline::aws
