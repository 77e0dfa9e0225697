#include "aws/kinesis_stream.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "common/base64.h"

namespace brewline::aws {
namespace {

using nlohmann::json;

constexpr size_t kMaxPutRecords = 500;

// Kinesis sends epoch seconds as a JSON number (possibly fractional).
int64_t SecondsToMillis(const json& v) {
  if (v.is_number()) return static_cast<int64_t>(std::llround(v.get<double>() * 1000.0));
  return 0;
}

std::string Str(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// The wire names, spelled here so this library does not depend on the local stream implementation.
const char* WireIteratorType(stream::IteratorType type) {
  switch (type) {
    case stream::IteratorType::kTrimHorizon: return "TRIM_HORIZON";
    case stream::IteratorType::kLatest: return "LATEST";
    case stream::IteratorType::kAtSequenceNumber: return "AT_SEQUENCE_NUMBER";
    case stream::IteratorType::kAfterSequenceNumber: return "AFTER_SEQUENCE_NUMBER";
    case stream::IteratorType::kAtTimestamp: return "AT_TIMESTAMP";
  }
  return "TRIM_HORIZON";
}

Status ValidateInput(const stream::PutRecordInput& in) {
  if (in.partition_key.empty() || in.partition_key.size() > 256) {
    return InvalidArgument("partition key must be 1-256 characters", "ValidationException");
  }
  if (in.partition_key.size() + in.data.size() > (1u << 20)) {
    return InvalidArgument("record larger than 1 MiB (key + data)", "ValidationException");
  }
  return Status::OK();
}

Result<json> ParseBody(const std::string& body, const std::string& op) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corruption("Kinesis " + op + ": response is not a JSON object");
  return j;
}

}  // namespace

Status KinesisError(const HttpResponse& response, const std::string& stream_name) {
  std::string type;
  std::string message;
  json j = json::parse(response.body, nullptr, false);
  if (j.is_object()) {
    type = Str(j, "__type");
    message = Str(j, "message");
    if (message.empty()) message = Str(j, "Message");
  }
  if (type.empty()) type = response.Header("x-amzn-ErrorType");
  if (auto colon = type.find(':'); colon != std::string::npos) type.resize(colon);
  if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
  std::string text = "Kinesis: " + (type.empty() ? "HTTP " + std::to_string(response.status) : type) +
                     (message.empty() ? "" : ": " + message);

  if (type == "ResourceNotFoundException") {
    return NotFound("Kinesis stream '" + stream_name +
                        "' not found (the AWS backend never creates streams; create it with Terraform): " + message,
                    type);
  }
  if (type == "InvalidArgumentException" || type == "ValidationException" || type == "SerializationException") {
    return InvalidArgument(text, type);
  }
  if (type == "ProvisionedThroughputExceededException" || type == "LimitExceededException" ||
      type == "ThrottlingException" || response.status == 429) {
    return ResourceExhausted(text, type);
  }
  if (type == "ExpiredIteratorException" || type == "ExpiredNextTokenException" ||
      type == "ResourceInUseException" || type.starts_with("KMS")) {
    return FailedPrecondition(text, type);
  }
  if (type == "AccessDeniedException" || type == "UnrecognizedClientException" ||
      type == "InvalidSignatureException" || type == "IncompleteSignature" ||
      type == "MissingAuthenticationToken" || response.status == 403) {
    return PermissionDenied(text, type);
  }
  if (response.status >= 500) return Unavailable(text, type.empty() ? "InternalFailure" : type);
  return InvalidArgument(text, type);
}

bool IsKinesisThrottle(const HttpResponse& response) {
  if (response.status != 400) return false;
  const std::string& b = response.body;
  return b.find("ProvisionedThroughputExceededException") != std::string::npos ||
         b.find("LimitExceededException") != std::string::npos ||
         b.find("ThrottlingException") != std::string::npos;
}

KinesisStream::KinesisStream(std::string stream_name, Endpoint endpoint, std::shared_ptr<AwsClient> client)
    : name_(std::move(stream_name)), endpoint_(std::move(endpoint)), client_(std::move(client)) {}

Result<std::string> KinesisStream::Call(const std::string& op, const std::string& body) {
  AwsRequest req;
  req.endpoint = endpoint_;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "Kinesis_20131202." + op}};
  req.body = body;
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req, IsKinesisThrottle));
  if (resp.status != 200) return KinesisError(resp, name_).WithContext(op);
  return std::move(resp.body);
}

Result<stream::PutRecordOutput> KinesisStream::PutRecord(const stream::PutRecordInput& input) {
  RETURN_IF_ERROR(ValidateInput(input));
  json req = {{"StreamName", name_}, {"PartitionKey", input.partition_key}, {"Data", Base64Encode(input.data)}};
  if (input.explicit_hash_key) req["ExplicitHashKey"] = *input.explicit_hash_key;
  ASSIGN_OR_RETURN(std::string body, Call("PutRecord", req.dump()));
  ASSIGN_OR_RETURN(json j, ParseBody(body, "PutRecord"));
  stream::PutRecordOutput out{Str(j, "ShardId"), Str(j, "SequenceNumber")};
  if (out.sequence_number.empty()) return Corruption("Kinesis PutRecord: response has no SequenceNumber");
  return out;
}

Result<stream::PutRecordsOutput> KinesisStream::PutRecords(const std::vector<stream::PutRecordInput>& input) {
  if (input.empty() || input.size() > kMaxPutRecords) {
    return InvalidArgument("PutRecords takes 1-500 records, got " + std::to_string(input.size()),
                           "ValidationException");
  }
  json records = json::array();
  for (const auto& in : input) {
    RETURN_IF_ERROR(ValidateInput(in));
    json r = {{"PartitionKey", in.partition_key}, {"Data", Base64Encode(in.data)}};
    if (in.explicit_hash_key) r["ExplicitHashKey"] = *in.explicit_hash_key;
    records.push_back(std::move(r));
  }
  json req = {{"StreamName", name_}, {"Records", std::move(records)}};
  ASSIGN_OR_RETURN(std::string body, Call("PutRecords", req.dump()));
  ASSIGN_OR_RETURN(json j, ParseBody(body, "PutRecords"));
  auto it = j.find("Records");
  if (it == j.end() || !it->is_array() || it->size() != input.size()) {
    return Corruption("Kinesis PutRecords: response has " +
                      std::to_string(it == j.end() || !it->is_array() ? 0 : it->size()) + " results for " +
                      std::to_string(input.size()) + " records");
  }
  stream::PutRecordsOutput out;
  for (const json& r : *it) {
    stream::PutRecordsEntryResult e{Str(r, "ShardId"), Str(r, "SequenceNumber"), Str(r, "ErrorCode"),
                                    Str(r, "ErrorMessage")};
    if (!e.ok()) ++out.failed_record_count;
    out.records.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<stream::ShardInfo>> KinesisStream::ListShards() {
  std::vector<stream::ShardInfo> shards;
  std::string next_token;
  // Bounded: a stream has at most a few thousand shards; 1000 pages is far beyond any real stream.
  for (int page = 0; page < 1000; ++page) {
    json req = next_token.empty() ? json{{"StreamName", name_}} : json{{"NextToken", next_token}};
    ASSIGN_OR_RETURN(std::string body, Call("ListShards", req.dump()));
    ASSIGN_OR_RETURN(json j, ParseBody(body, "ListShards"));
    auto it = j.find("Shards");
    if (it != j.end() && it->is_array()) {
      for (const json& s : *it) {
        stream::ShardInfo info;
        info.shard_id = Str(s, "ShardId");
        if (auto h = s.find("HashKeyRange"); h != s.end() && h->is_object()) {
          info.starting_hash_key = Str(*h, "StartingHashKey");
          info.ending_hash_key = Str(*h, "EndingHashKey");
        }
        if (auto q = s.find("SequenceNumberRange"); q != s.end() && q->is_object()) {
          info.starting_sequence_number = Str(*q, "StartingSequenceNumber");
          info.ending_sequence_number = Str(*q, "EndingSequenceNumber");
        }
        shards.push_back(std::move(info));
      }
    }
    next_token = Str(j, "NextToken");
    if (next_token.empty()) return shards;
  }
  return Internal("Kinesis ListShards: more than 1000 pages");
}

Result<stream::StreamSummary> KinesisStream::DescribeSummary() {
  json req = {{"StreamName", name_}};
  ASSIGN_OR_RETURN(std::string body, Call("DescribeStreamSummary", req.dump()));
  ASSIGN_OR_RETURN(json j, ParseBody(body, "DescribeStreamSummary"));
  auto it = j.find("StreamDescriptionSummary");
  if (it == j.end() || !it->is_object()) return Corruption("Kinesis DescribeStreamSummary: no summary");
  const json& s = *it;
  stream::StreamSummary out;
  out.stream_name = Str(s, "StreamName");
  out.stream_arn = Str(s, "StreamARN");
  out.stream_status = Str(s, "StreamStatus");
  if (auto r = s.find("RetentionPeriodHours"); r != s.end() && r->is_number()) out.retention_period_hours = *r;
  if (auto c = s.find("StreamCreationTimestamp"); c != s.end()) out.creation_ms = SecondsToMillis(*c);
  if (auto o = s.find("OpenShardCount"); o != s.end() && o->is_number()) out.open_shard_count = *o;
  std::string enc = Str(s, "EncryptionType");
  if (!enc.empty()) out.encryption_type = enc;
  return out;
}

Result<std::string> KinesisStream::GetShardIterator(const stream::IteratorRequest& request) {
  json req = {{"StreamName", name_},
              {"ShardId", request.shard_id},
              {"ShardIteratorType", WireIteratorType(request.type)}};
  if (request.type == stream::IteratorType::kAtSequenceNumber ||
      request.type == stream::IteratorType::kAfterSequenceNumber) {
    req["StartingSequenceNumber"] = request.sequence_number;
  }
  if (request.type == stream::IteratorType::kAtTimestamp) {
    req["Timestamp"] = static_cast<double>(request.timestamp_ms) / 1000.0;
  }
  ASSIGN_OR_RETURN(std::string body, Call("GetShardIterator", req.dump()));
  ASSIGN_OR_RETURN(json j, ParseBody(body, "GetShardIterator"));
  std::string it = Str(j, "ShardIterator");
  if (it.empty()) return Corruption("Kinesis GetShardIterator: no ShardIterator");
  return it;
}

Result<stream::GetRecordsOutput> KinesisStream::GetRecords(const std::string& iterator, int limit) {
  if (limit < 1 || limit > 10000) {
    return InvalidArgument("GetRecords limit must be 1-10000", "InvalidArgumentException");
  }
  json req = {{"ShardIterator", iterator}, {"Limit", limit}};
  ASSIGN_OR_RETURN(std::string body, Call("GetRecords", req.dump()));
  ASSIGN_OR_RETURN(json j, ParseBody(body, "GetRecords"));
  stream::GetRecordsOutput out;
  out.next_shard_iterator = Str(j, "NextShardIterator");
  if (auto m = j.find("MillisBehindLatest"); m != j.end() && m->is_number()) out.millis_behind_latest = *m;
  if (auto rs = j.find("Records"); rs != j.end() && rs->is_array()) {
    out.records.reserve(rs->size());
    for (const json& r : *rs) {
      stream::Record rec;
      rec.sequence_number = Str(r, "SequenceNumber");
      rec.partition_key = Str(r, "PartitionKey");
      if (auto t = r.find("ApproximateArrivalTimestamp"); t != r.end()) rec.approximate_arrival_ms = SecondsToMillis(*t);
      ASSIGN_OR_RETURN(rec.data, Base64Decode(Str(r, "Data")));
      out.records.push_back(std::move(rec));
    }
  }
  return out;
}

Result<stream::PutRecordsOutput> PutRecordsRetryingFailed(stream::Stream& stream,
                                                          const std::vector<stream::PutRecordInput>& records,
                                                          Clock& clock, BackoffPolicy policy) {
  stream::PutRecordsOutput out;
  out.records.resize(records.size());
  Backoff backoff(policy);
  for (size_t start = 0; start < records.size(); start += kMaxPutRecords) {
    size_t end = std::min(records.size(), start + kMaxPutRecords);
    std::vector<size_t> pending;
    for (size_t i = start; i < end; ++i) pending.push_back(i);
    for (int attempt = 1; !pending.empty(); ++attempt) {
      std::vector<stream::PutRecordInput> batch;
      batch.reserve(pending.size());
      for (size_t i : pending) batch.push_back(records[i]);
      ASSIGN_OR_RETURN(stream::PutRecordsOutput res, stream.PutRecords(batch));
      std::vector<size_t> failed;
      for (size_t k = 0; k < pending.size(); ++k) {
        out.records[pending[k]] = res.records[k];
        if (!res.records[k].ok()) failed.push_back(pending[k]);
      }
      pending = std::move(failed);
      if (pending.empty() || attempt >= std::max(1, policy.max_attempts)) break;
      clock.SleepFor(backoff.Delay(attempt));
    }
  }
  for (const auto& r : out.records) out.failed_record_count += r.ok() ? 0 : 1;
  return out;
}

}  // namespace brewline::aws
