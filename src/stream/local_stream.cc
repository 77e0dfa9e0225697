#include "stream/local_stream.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "stream/sequence.h"

namespace brewline::stream {
namespace {

constexpr const char* kMetaFile = "stream.json";
constexpr size_t kMaxRecordBytes = 1u << 20;         // partition key + data
constexpr size_t kMaxPutRecordsBytes = 5u << 20;     // the whole PutRecords request
constexpr size_t kMaxPutRecordsCount = 500;
constexpr size_t kMaxGetRecordsBytes = 10u << 20;
constexpr int kMaxGetRecordsLimit = 10000;

std::string Arn(const std::string& name) { return "arn:aws:kinesis:local:000000000000:stream/" + name; }

Status NotFoundStream(const std::string& name) {
  return NotFound("Stream " + name + " under account 000000000000 not found.", "ResourceNotFoundException");
}

}  // namespace

std::string StreamDir(const std::string& data_dir, const std::string& name) {
  return JoinPath(JoinPath(data_dir, "streams"), name);
}

Status ValidateStreamName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 128;
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  }
  if (!ok || name == "." || name == "..") {
    return InvalidArgument("stream name '" + name + "' must match [a-zA-Z0-9_.-]{1,128}", "ValidationException");
  }
  return Status::OK();
}

Result<std::vector<std::string>> ListStreams(FileSystem& fs, const std::string& data_dir) {
  const std::string root = JoinPath(data_dir, "streams");
  std::vector<std::string> out;
  if (!fs.IsDirectory(root)) return out;
  ASSIGN_OR_RETURN(auto names, fs.ListDir(root));
  for (const auto& n : names) {
    if (fs.Exists(JoinPath(JoinPath(root, n), kMetaFile))) out.push_back(n);
  }
  return out;
}

LocalStream::LocalStream(FileSystem& fs, Clock& clock, std::string dir, std::string name)
    : fs_(fs), clock_(clock), dir_(std::move(dir)), name_(std::move(name)) {}

LocalStream::~LocalStream() = default;

Result<std::unique_ptr<LocalStream>> LocalStream::Create(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                                         const std::string& name, const StreamOptions& options) {
  RETURN_IF_ERROR(ValidateStreamName(name));
  if (options.shard_count < 1 || options.shard_count > kMaxShards) {
    return InvalidArgument("shard count must be between 1 and " + std::to_string(kMaxShards),
                           "InvalidArgumentException");
  }
  if (options.retention_hours < kMinRetentionHours || options.retention_hours > kMaxRetentionHours) {
    return InvalidArgument("retention must be between 24 and 8760 hours", "InvalidArgumentException");
  }
  const std::string dir = StreamDir(data_dir, name);
  RETURN_IF_ERROR(fs.CreateDirs(dir));
  {
    // Two processes creating the same stream: the lock makes exactly one of them win.
    ASSIGN_OR_RETURN(auto lock, fs.Lock(JoinPath(dir, "CREATE.lock"), /*wait=*/true));
    if (fs.Exists(JoinPath(dir, kMetaFile))) {
      return AlreadyExists("Stream " + name + " under account 000000000000 already exists.",
                           "ResourceInUseException");
    }
    for (int i = 0; i < options.shard_count; ++i) RETURN_IF_ERROR(fs.CreateDirs(JoinPath(dir, ShardIdForIndex(i))));
    RETURN_IF_ERROR(fs.CreateDirs(JoinPath(dir, "checkpoints")));
    nlohmann::json meta = {{"StreamName", name},
                           {"ShardCount", options.shard_count},
                           {"RetentionPeriodHours", options.retention_hours},
                           {"CreationMillis", clock.NowMillis()},
                           {"StreamARN", Arn(name)},
                           {"FormatVersion", 1}};
    // The meta file is written last: its presence is what makes the stream exist.
    RETURN_IF_ERROR(WriteFileAtomically(fs, JoinPath(dir, kMetaFile), meta.dump(2) + "\n"));
  }
  return Open(fs, clock, data_dir, name, options);
}

Result<std::unique_ptr<LocalStream>> LocalStream::Open(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                                       const std::string& name, const StreamOptions& options) {
  RETURN_IF_ERROR(ValidateStreamName(name));
  const std::string dir = StreamDir(data_dir, name);
  const std::string meta_path = JoinPath(dir, kMetaFile);
  if (!fs.Exists(meta_path)) return NotFoundStream(name);
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(meta_path));
  std::unique_ptr<LocalStream> stream(new LocalStream(fs, clock, dir, name));
  try {
    auto meta = nlohmann::json::parse(text);
    stream->summary_.stream_name = name;
    stream->summary_.stream_arn = meta.at("StreamARN").get<std::string>();
    stream->summary_.retention_period_hours = meta.at("RetentionPeriodHours").get<int>();
    stream->summary_.creation_ms = meta.at("CreationMillis").get<int64_t>();
    stream->summary_.open_shard_count = meta.at("ShardCount").get<int>();
  } catch (const std::exception& e) {
    return Corruption("stream metadata " + meta_path + " is unreadable: " + e.what());
  }
  const int n = stream->summary_.open_shard_count;
  if (n < 1 || n > kMaxShards) return Corruption("stream metadata " + meta_path + " has a bad shard count");
  stream->ranges_ = EvenHashKeyRanges(n);
  ShardOptions shard_options;
  shard_options.segment_bytes = options.segment_bytes;
  shard_options.retention_ms = int64_t{stream->summary_.retention_period_hours} * 3600 * 1000;
  for (int i = 0; i < n; ++i) {
    auto shard = LocalShard::Open(fs, clock, JoinPath(dir, ShardIdForIndex(i)), i, shard_options);
    if (!shard.ok()) return shard.status().WithContext("open stream " + name);
    stream->shards_.push_back(std::move(shard).value());
  }
  stream->limits_ = options.limits;
  MetricsRegistry& metrics = options.metrics != nullptr ? *options.metrics : MetricsRegistry::Default();
  const char* help = "Records (PutRecord/PutRecords) or calls (GetRecords) rejected with "
                     "ProvisionedThroughputExceededException by this process's per-shard limits.";
  for (int i = 0; i < n; ++i) {
    ShardLimiter l;
    l.throttle = std::make_unique<ShardThrottle>(options.limits, clock.MonotonicNanos());
    auto counter = [&](const char* op) {
      return &metrics.GetCounter("brewline_stream_throttled_total", help,
                                 {{"stream", name}, {"shard", ShardIdForIndex(i)}, {"op", op}});
    };
    l.put_record_throttled = counter("PutRecord");
    l.put_records_throttled = counter("PutRecords");
    l.get_records_throttled = counter("GetRecords");
    stream->limiters_.push_back(std::move(l));
  }
  return stream;
}

Result<std::unique_ptr<LocalStream>> LocalStream::OpenOrCreate(FileSystem& fs, Clock& clock,
                                                               const std::string& data_dir, const std::string& name,
                                                               const StreamOptions& options) {
  auto opened = Open(fs, clock, data_dir, name, options);
  if (opened.ok() || opened.status().code() != StatusCode::kNotFound) return opened;
  auto created = Create(fs, clock, data_dir, name, options);
  if (!created.ok() && created.status().code() == StatusCode::kAlreadyExists) {
    return Open(fs, clock, data_dir, name, options);  // another process won the race
  }
  return created;
}

Status LocalStream::Validate(const PutRecordInput& input, int* shard_index) const {
  if (input.partition_key.empty() || input.partition_key.size() > 256) {
    return InvalidArgument("PartitionKey must be 1 to 256 characters long", "ValidationException");
  }
  if (input.partition_key.size() + input.data.size() > kMaxRecordBytes) {
    return InvalidArgument("record size (partition key + data) exceeds the 1 MiB limit", "ValidationException");
  }
  HashKey key;
  if (input.explicit_hash_key) {
    ASSIGN_OR_RETURN(key, ParseHashKey(*input.explicit_hash_key));
  } else {
    key = PartitionKeyHash(input.partition_key);
  }
  *shard_index = ShardForHashKey(ranges_, key);
  return Status::OK();
}

bool LocalStream::AdmitWrite(int index, int64_t bytes, Counter* throttled) {
  if (limiters_[static_cast<size_t>(index)].throttle->TryWrite(bytes, clock_.MonotonicNanos())) return true;
  throttled->Inc();
  return false;
}

// Kinesis's own wording, so logs and error files read the same against either backend.
Status LocalStream::Throttled(int index) const {
  return ResourceExhausted("Rate exceeded for shard " + ShardIdForIndex(index) + " in stream " + name_ +
                               " under account 000000000000.",
                           "ProvisionedThroughputExceededException");
}

Result<PutRecordOutput> LocalStream::PutRecord(const PutRecordInput& input) {
  int shard_index = 0;
  RETURN_IF_ERROR(Validate(input, &shard_index));
  const auto bytes = static_cast<int64_t>(input.partition_key.size() + input.data.size());
  if (!AdmitWrite(shard_index, bytes, limiters_[static_cast<size_t>(shard_index)].put_record_throttled)) {
    return Throttled(shard_index);
  }
  LocalShard::Writer writer;
  writer.entries.push_back({input.partition_key, input.data});
  LocalShard* shard = shards_[static_cast<size_t>(shard_index)].get();
  shard->Submit(&writer);
  RETURN_IF_ERROR(shard->Await(&writer));
  return PutRecordOutput{ShardIdForIndex(shard_index), FormatSequenceNumber(shard_index, writer.first_counter)};
}

Result<PutRecordsOutput> LocalStream::PutRecords(const std::vector<PutRecordInput>& input) {
  if (input.empty() || input.size() > kMaxPutRecordsCount) {
    return InvalidArgument("PutRecords takes 1 to 500 records, not " + std::to_string(input.size()),
                           "ValidationException");
  }
  size_t total = 0;
  std::vector<int> shard_of(input.size());
  for (size_t i = 0; i < input.size(); ++i) {
    RETURN_IF_ERROR(Validate(input[i], &shard_of[i]).WithContext("Records[" + std::to_string(i) + "]"));
    total += input[i].partition_key.size() + input[i].data.size();
  }
  if (total > kMaxPutRecordsBytes) {
    return InvalidArgument("Records size exceeds 5 MB limit", "InvalidArgumentException");
  }
  // Each record is admitted or rejected in input order against its shard's allowance; the rejected ones are
  // not written and come back as ProvisionedThroughputExceededException entries (a partial failure).
  std::vector<bool> throttled(input.size(), false);
  // One writer per shard, all queued before any is awaited, so the shards' syncs can overlap with other
  // threads' groups.
  std::vector<LocalShard::Writer> writers(shards_.size());
  for (size_t i = 0; i < input.size(); ++i) {
    const auto s = static_cast<size_t>(shard_of[i]);
    const auto bytes = static_cast<int64_t>(input[i].partition_key.size() + input[i].data.size());
    if (!AdmitWrite(shard_of[i], bytes, limiters_[s].put_records_throttled)) {
      throttled[i] = true;
      continue;
    }
    writers[s].entries.push_back({input[i].partition_key, input[i].data});
  }
  for (size_t s = 0; s < shards_.size(); ++s) {
    if (!writers[s].entries.empty()) shards_[s]->Submit(&writers[s]);
  }
  for (size_t s = 0; s < shards_.size(); ++s) {
    if (!writers[s].entries.empty()) shards_[s]->Await(&writers[s]).IgnoreError();  // status kept in writer
  }
  PutRecordsOutput out;
  out.records.resize(input.size());
  std::vector<uint64_t> next(shards_.size());
  for (size_t s = 0; s < shards_.size(); ++s) next[s] = writers[s].first_counter;
  for (size_t i = 0; i < input.size(); ++i) {
    const size_t s = static_cast<size_t>(shard_of[i]);
    auto& r = out.records[i];
    if (throttled[i]) {
      const Status t = Throttled(static_cast<int>(s));
      r.error_code = t.type();
      r.error_message = t.message();
      ++out.failed_record_count;
    } else if (writers[s].status.ok()) {
      r.shard_id = ShardIdForIndex(static_cast<int>(s));
      r.sequence_number = FormatSequenceNumber(static_cast<int>(s), next[s]++);
    } else {
      r.error_code = "InternalFailure";
      r.error_message = writers[s].status.message();
      ++out.failed_record_count;
    }
  }
  return out;
}

Result<std::vector<ShardInfo>> LocalStream::ListShards() {
  std::vector<ShardInfo> out;
  for (size_t i = 0; i < shards_.size(); ++i) {
    ShardInfo info;
    info.shard_id = ShardIdForIndex(static_cast<int>(i));
    info.starting_hash_key = HashKeyToString(ranges_[i].start);
    info.ending_hash_key = HashKeyToString(ranges_[i].end);
    info.starting_sequence_number = FormatSequenceNumber(static_cast<int>(i), 0);
    out.push_back(std::move(info));
  }
  return out;
}

Result<StreamSummary> LocalStream::DescribeSummary() { return summary_; }

Result<LocalShard*> LocalStream::ShardFor(const std::string& shard_id) {
  int index = -1;
  if (!ParseShardId(shard_id, &index) || index < 0 || index >= shard_count()) {
    return NotFound("Shard " + shard_id + " in stream " + name_ + " under account 000000000000 does not exist",
                    "ResourceNotFoundException");
  }
  return shards_[static_cast<size_t>(index)].get();
}

Result<std::string> LocalStream::GetShardIterator(const IteratorRequest& request) {
  ASSIGN_OR_RETURN(LocalShard * shard, ShardFor(request.shard_id));
  RETURN_IF_ERROR(shard->CatchUp());
  const ShardTip tip = shard->Tip();
  uint64_t position = 0;
  switch (request.type) {
    case IteratorType::kTrimHorizon:
      position = tip.first_counter;
      break;
    case IteratorType::kLatest:
      position = tip.next_counter;
      break;
    case IteratorType::kAtSequenceNumber:
    case IteratorType::kAfterSequenceNumber: {
      ASSIGN_OR_RETURN(SequencePosition pos, ParseSequenceNumber(request.sequence_number));
      if (pos.shard_index != shard->index() || pos.counter >= tip.next_counter) {
        return InvalidArgument("StartingSequenceNumber " + request.sequence_number + " used in GetShardIterator on shard " +
                                   request.shard_id + " in stream " + name_ + " is invalid",
                               "InvalidArgumentException");
      }
      position = pos.counter + (request.type == IteratorType::kAfterSequenceNumber ? 1 : 0);
      break;
    }
    case IteratorType::kAtTimestamp: {
      ASSIGN_OR_RETURN(position, shard->CounterAtTimestamp(request.timestamp_ms));
      break;
    }
  }
  return EncodeIterator({name_, shard->index(), position, clock_.NowMillis()});
}

Result<GetRecordsOutput> LocalStream::GetRecords(const std::string& iterator, int limit) {
  if (limit < 1 || limit > kMaxGetRecordsLimit) {
    return InvalidArgument("Limit must be between 1 and 10000, not " + std::to_string(limit), "ValidationException");
  }
  ASSIGN_OR_RETURN(IteratorState state, DecodeIterator(iterator));
  if (state.stream_name != name_ || state.shard_index < 0 || state.shard_index >= shard_count()) {
    return InvalidArgument("ShardIterator does not belong to stream " + name_, "InvalidArgumentException");
  }
  const int64_t now = clock_.NowMillis();
  if (now - state.issued_ms > kIteratorLifetimeMs) {
    return InvalidArgument("Iterator expired. The iterator was created at time " + std::to_string(state.issued_ms) +
                               " while right now it is " + std::to_string(now) + " which is further in the future than the "
                               "tolerated delay of 300000 milliseconds.",
                           "ExpiredIteratorException");
  }
  ShardThrottle& throttle = *limiters_[static_cast<size_t>(state.shard_index)].throttle;
  if (!throttle.TryRead(clock_.MonotonicNanos())) {
    limiters_[static_cast<size_t>(state.shard_index)].get_records_throttled->Inc();
    return Throttled(state.shard_index);
  }
  LocalShard* shard = shards_[static_cast<size_t>(state.shard_index)].get();
  // At the end this process knows of: look for what other processes made durable since.
  if (state.next_counter >= shard->Tip().next_counter) RETURN_IF_ERROR(shard->CatchUp());
  std::vector<StoredRecord> stored;
  RETURN_IF_ERROR(shard->Read(state.next_counter, limit, kMaxGetRecordsBytes, &stored));
  const ShardTip tip = shard->Tip();
  GetRecordsOutput out;
  uint64_t next = std::max(state.next_counter, tip.first_counter);
  out.records.reserve(stored.size());
  int64_t read_bytes = 0;
  for (auto& r : stored) {
    next = r.counter + 1;
    read_bytes += static_cast<int64_t>(r.partition_key.size() + r.data.size());
    out.records.push_back({FormatSequenceNumber(state.shard_index, r.counter), r.arrival_ms,
                           std::move(r.partition_key), std::move(r.data)});
  }
  if (next < tip.next_counter && !out.records.empty()) {
    out.millis_behind_latest = std::max<int64_t>(0, now - out.records.back().approximate_arrival_ms);
  }
  throttle.ChargeRead(read_bytes, clock_.MonotonicNanos());
  out.next_shard_iterator = EncodeIterator({name_, state.shard_index, next, now});
  return out;
}

Result<std::vector<ShardStats>> LocalStream::Stats() {
  std::vector<ShardStats> out;
  for (auto& shard : shards_) {
    RETURN_IF_ERROR(shard->CatchUp());
    const ShardTip tip = shard->Tip();
    ShardStats s;
    s.shard_id = ShardIdForIndex(shard->index());
    s.record_count = tip.next_counter - tip.first_counter;
    if (s.record_count > 0) {
      s.first_sequence_number = FormatSequenceNumber(shard->index(), tip.first_counter);
      s.latest_sequence_number = FormatSequenceNumber(shard->index(), tip.next_counter - 1);
    }
    s.bytes = tip.bytes;
    s.latest_arrival_ms = tip.last_arrival_ms;
    const ShardLimiter& l = limiters_[static_cast<size_t>(shard->index())];
    s.write_throttled = l.put_record_throttled->value() + l.put_records_throttled->value();
    s.read_throttled = l.get_records_throttled->value();
    out.push_back(std::move(s));
  }
  return out;
}

Result<uint64_t> LocalStream::RecordsAfter(const std::string& shard_id, const std::string& sequence_number) {
  ASSIGN_OR_RETURN(LocalShard * shard, ShardFor(shard_id));
  RETURN_IF_ERROR(shard->CatchUp());
  const ShardTip tip = shard->Tip();
  if (sequence_number.empty()) return tip.next_counter - tip.first_counter;
  ASSIGN_OR_RETURN(SequencePosition pos, ParseSequenceNumber(sequence_number));
  if (pos.shard_index != shard->index()) {
    return InvalidArgument("sequence number " + sequence_number + " is not from " + shard_id, "InvalidArgumentException");
  }
  const uint64_t from = std::max(pos.counter + 1, tip.first_counter);
  return from >= tip.next_counter ? 0 : tip.next_counter - from;
}

Status LocalStream::Verify() {
  for (auto& shard : shards_) RETURN_IF_ERROR(shard->Verify());
  return Status::OK();
}

}  // namespace brewline::stream
