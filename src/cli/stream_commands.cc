// stream create|list|describe|list-shards|put-record|put-records|get-records|checkpoint get|set: the local
// stream's commands, mirroring `aws kinesis` and printing Kinesis-shaped JSON. put-record, put-records and
// get-records enforce Kinesis's per-shard throughput limits by default (--limits kinesis), within this process.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "common/backoff.h"
#include "common/base64.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/time_util.h"
#include "stream/batch_putter.h"
#include "stream/checkpoint_store.h"
#include "stream/kinesis_json.h"
#include "stream/local_stream.h"

namespace brewline::cli {
namespace {

struct StreamCliOptions {
  std::string data_dir;
  std::string stream;
  int shards = 1;
  int retention_hours = 24;
  std::string partition_key;
  std::string data;
  std::string data_file;
  std::string explicit_hash_key;
  std::string file;
  std::string shard_id;
  std::string iterator_type = "TRIM_HORIZON";
  std::string sequence_number;
  std::string timestamp;
  int limit = 10000;
  bool all = false;
  std::string consumer;
  std::string limits = "kinesis";
};

// Errors print with Kinesis's exception name first, as the AWS CLI does.
int Fail(const Status& s) {
  if (s.type().empty()) return ReportError(s);
  return ReportError(Status(s.code(), s.type() + ": " + s.message()));
}

void PrintLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
}

Result<std::unique_ptr<stream::LocalStream>> OpenStream(const StreamCliOptions& o) {
  stream::StreamOptions options;
  ASSIGN_OR_RETURN(options.limits, stream::ParseShardLimits(o.limits));
  return stream::LocalStream::Open(PosixFileSystem::Get(), SystemClock::Get(), o.data_dir, o.stream, options);
}

// Put/get commands take --limits; the others only read metadata and keep the default.
void AddLimitsOption(CLI::App* cmd, StreamCliOptions* o) {
  cmd->add_option("--limits", o->limits,
                  "per-shard throughput limits this process enforces: kinesis (1,000 records and 1 MiB per second "
                  "written, 5 GetRecords calls and 2 MiB per second read) or unlimited")
      ->capture_default_str()
      ->check(CLI::IsMember({"kinesis", "unlimited"}));
}

uint64_t WriteThrottled(stream::LocalStream& s) {
  auto stats = s.Stats();
  uint64_t n = 0;
  if (stats.ok()) {
    for (const auto& shard : *stats) n += shard.write_throttled;
  }
  return n;
}

int RunCreate(const StreamCliOptions& o) {
  stream::StreamOptions opts;
  opts.shard_count = o.shards;
  opts.retention_hours = o.retention_hours;
  auto s = stream::LocalStream::Create(PosixFileSystem::Get(), SystemClock::Get(), o.data_dir, o.stream, opts);
  if (!s.ok()) return Fail(s.status());
  auto summary = (*s)->DescribeSummary();
  if (!summary.ok()) return Fail(summary.status());
  PrintLine(stream::DescribeStreamSummaryJson(*summary));
  return kExitOk;
}

int RunList(const StreamCliOptions& o) {
  auto names = stream::ListStreams(PosixFileSystem::Get(), o.data_dir);
  if (!names.ok()) return Fail(names.status());
  PrintLine(nlohmann::json({{"StreamNames", *names}, {"HasMoreStreams", false}}).dump());
  return kExitOk;
}

int RunDescribe(const StreamCliOptions& o) {
  auto s = OpenStream(o);
  if (!s.ok()) return Fail(s.status());
  auto summary = (*s)->DescribeSummary();
  if (!summary.ok()) return Fail(summary.status());
  PrintLine(stream::DescribeStreamSummaryJson(*summary));
  return kExitOk;
}

int RunListShards(const StreamCliOptions& o) {
  auto s = OpenStream(o);
  if (!s.ok()) return Fail(s.status());
  auto shards = (*s)->ListShards();
  if (!shards.ok()) return Fail(shards.status());
  PrintLine(stream::ListShardsJson(*shards));
  return kExitOk;
}

int RunPutRecord(const StreamCliOptions& o) {
  stream::PutRecordInput input;
  input.partition_key = o.partition_key;
  if (!o.data_file.empty()) {
    auto content = PosixFileSystem::Get().ReadFile(o.data_file);
    if (!content.ok()) return Fail(content.status());
    input.data = std::move(content).value();
  } else {
    input.data = o.data;
  }
  if (!o.explicit_hash_key.empty()) input.explicit_hash_key = o.explicit_hash_key;
  auto s = OpenStream(o);
  if (!s.ok()) return Fail(s.status());
  auto out = (*s)->PutRecord(input);
  if (!out.ok()) return Fail(out.status());
  nlohmann::ordered_json json = {
      {"ShardId", out->shard_id}, {"SequenceNumber", out->sequence_number}, {"EncryptionType", "NONE"}};
  PrintLine(json.dump());
  return kExitOk;
}

// One input line → a record, or the reason it is not one.
Result<stream::PutRecordInput> ParseRecordLine(const std::string& line) {
  stream::PutRecordInput input;
  try {
    auto json = nlohmann::json::parse(line);
    if (!json.is_object() || !json.contains("PartitionKey") || !json.contains("Data")) {
      return InvalidArgument("each line must be {\"PartitionKey\":…,\"Data\":\"<base64>\"}", "ValidationException");
    }
    input.partition_key = json.at("PartitionKey").get<std::string>();
    auto data = Base64Decode(json.at("Data").get<std::string>());
    if (!data.ok()) return InvalidArgument("Data is not valid base64", "ValidationException");
    input.data = std::move(data).value();
    if (json.contains("ExplicitHashKey")) input.explicit_hash_key = json.at("ExplicitHashKey").get<std::string>();
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("not a JSON record: ") + e.what(), "ValidationException");
  }
  return input;
}

int RunPutRecords(const StreamCliOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) return Fail(NotFound("cannot open " + o.file));
  auto s = OpenStream(o);
  if (!s.ok()) return Fail(s.status());
  // Each result is printed once its batch is final (durable), in input order, and stdout is flushed per
  // batch: a reader of the output can trust every line it has seen.
  auto print = [](const stream::PutRecordsEntryResult& r) {
    nlohmann::ordered_json json;
    if (r.ok()) {
      json = {{"ShardId", r.shard_id}, {"SequenceNumber", r.sequence_number}};
    } else {
      json = {{"ErrorCode", r.error_code}, {"ErrorMessage", r.error_message}};
    }
    PrintLine(json.dump());
  };
  stream::BatchPutOptions put_options;
  if (!(*s)->limits().unlimited()) {
    // Throttled entries are retried until the shard's allowance refills: enough attempts, and waits long
    // enough (up to 1 s, a whole window) that a batch of 500 to one shard lands with near certainty.
    put_options.retry = {std::chrono::milliseconds(100), std::chrono::milliseconds(1000), 20};
  }
  stream::BatchPutter putter(**s, SystemClock::Get(), print, put_options);
  std::string line;
  int last_calls = 0;
  int bad_lines = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto input = ParseRecordLine(line);
    if (!input.ok()) {
      putter.Flush();
      ++bad_lines;
      print({"", "", input.status().type(), input.status().message()});
      std::fflush(stdout);
      continue;
    }
    putter.Add(std::move(input).value());
    if (putter.calls() != last_calls) {
      last_calls = putter.calls();
      std::fflush(stdout);
    }
  }
  putter.Flush();
  std::fflush(stdout);
  if (uint64_t throttled = WriteThrottled(**s); throttled > 0) {
    std::fprintf(stderr, "note: %llu record put(s) hit the per-shard limits (--limits %s) and were retried\n",
                 static_cast<unsigned long long>(throttled), o.limits.c_str());
  }
  if (putter.failed() + bad_lines > 0) {
    std::fprintf(stderr, "error: %d record(s) failed\n", putter.failed() + bad_lines);
    return kExitFailure;
  }
  return kExitOk;
}

Result<int64_t> ParseTimestamp(const std::string& text) {
  // Epoch seconds (as the AWS CLI accepts, fractions allowed) or ISO 8601.
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && ptr == text.data() + text.size()) return static_cast<int64_t>(seconds * 1000.0);
  return ParseIso8601(text);
}

int RunGetRecords(const StreamCliOptions& o) {
  stream::IteratorRequest req;
  req.shard_id = o.shard_id;
  if (!stream::ParseIteratorType(o.iterator_type, &req.type)) {
    return UsageError("--iterator-type must be TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER or AT_TIMESTAMP");
  }
  const bool by_seq = req.type == stream::IteratorType::kAtSequenceNumber ||
                      req.type == stream::IteratorType::kAfterSequenceNumber;
  if (by_seq != !o.sequence_number.empty()) {
    return UsageError("--sequence-number goes with AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER (only)");
  }
  if ((req.type == stream::IteratorType::kAtTimestamp) != !o.timestamp.empty()) {
    return UsageError("--timestamp goes with AT_TIMESTAMP (only)");
  }
  req.sequence_number = o.sequence_number;
  if (!o.timestamp.empty()) {
    auto ts = ParseTimestamp(o.timestamp);
    if (!ts.ok()) return UsageError("--timestamp: " + ts.status().message());
    req.timestamp_ms = *ts;
  }
  auto s = OpenStream(o);
  if (!s.ok()) return Fail(s.status());
  auto it = (*s)->GetShardIterator(req);
  if (!it.ok()) return Fail(it.status());
  std::string iterator = *it;
  Backoff backoff({std::chrono::milliseconds(200), std::chrono::milliseconds(1000), 20});
  int throttled = 0;
  while (true) {
    auto out = (*s)->GetRecords(iterator, o.limit);
    // --all reads as fast as the shard's read allowance lets it, like a polling consumer.
    if (!out.ok() && o.all && out.status().type() == "ProvisionedThroughputExceededException" &&
        throttled < backoff.policy().max_attempts) {
      SystemClock::Get().SleepFor(backoff.Delay(++throttled));
      continue;
    }
    if (!out.ok()) return Fail(out.status());
    throttled = 0;
    for (const auto& r : out->records) PrintLine(stream::RecordJson(r));
    std::fflush(stdout);
    if (!o.all || out->records.empty() || out->next_shard_iterator.empty()) break;
    iterator = out->next_shard_iterator;
  }
  return kExitOk;
}

int RunCheckpoint(const StreamCliOptions& o, bool set) {
  if (set && (o.shard_id.empty() || o.sequence_number.empty())) {
    return UsageError("checkpoint set needs --shard-id and --sequence-number");
  }
  if (!set && !o.sequence_number.empty()) return UsageError("checkpoint get takes no --sequence-number");
  auto s = OpenStream(o);  // the stream must exist
  if (!s.ok()) return Fail(s.status());
  stream::LocalCheckpointStore store(PosixFileSystem::Get(), o.data_dir, o.stream);
  if (set) {
    if (Status st = store.Set(o.consumer, o.shard_id, o.sequence_number); !st.ok()) return Fail(st);
  }
  if (!o.shard_id.empty()) {
    auto seq = store.Get(o.consumer, o.shard_id);
    if (!seq.ok()) return Fail(seq.status());
    nlohmann::ordered_json json = {{"Consumer", o.consumer}, {"ShardId", o.shard_id}, {"SequenceNumber", nullptr}};
    if (seq->has_value()) json["SequenceNumber"] = **seq;
    PrintLine(json.dump());
    return kExitOk;
  }
  auto all = store.GetAll(o.consumer);
  if (!all.ok()) return Fail(all.status());
  nlohmann::ordered_json json = {{"Consumer", o.consumer}, {"Checkpoints", *all}};
  PrintLine(json.dump());
  return kExitOk;
}

CLI::App* AddStreamCommand(CLI::App* parent, const std::string& name, const std::string& help,
                           StreamCliOptions* o) {
  auto* cmd = parent->add_subcommand(name, help);
  AddDataDirOption(cmd, &o->data_dir);
  cmd->add_option("--stream", o->stream, "stream name")->required();
  return cmd;
}

}  // namespace

void RegisterStreamCommands(CLI::App& app, CliContext& ctx) {
  auto o = std::make_shared<StreamCliOptions>();
  auto* stream = app.add_subcommand("stream", "Kinesis-like durable streams: create, put, get, checkpoints");
  stream->require_subcommand(1);

  auto* create = AddStreamCommand(stream, "create", "create a stream (prints DescribeStreamSummary)", o.get());
  create->add_option("--shards", o->shards, "shard count")->capture_default_str()->check(CLI::Range(1, stream::kMaxShards));
  create->add_option("--retention-hours", o->retention_hours, "retention period, 24 to 8760 hours")
      ->capture_default_str()
      ->check(CLI::Range(stream::kMinRetentionHours, stream::kMaxRetentionHours));
  create->callback([o, &ctx] { ctx.exit_code = RunCreate(*o); });

  auto* list = stream->add_subcommand("list", "list the streams in the data directory (ListStreams)");
  AddDataDirOption(list, &o->data_dir);
  list->callback([o, &ctx] { ctx.exit_code = RunList(*o); });

  AddStreamCommand(stream, "describe", "print DescribeStreamSummary", o.get())->callback([o, &ctx] {
    ctx.exit_code = RunDescribe(*o);
  });
  AddStreamCommand(stream, "list-shards", "print ListShards", o.get())->callback([o, &ctx] {
    ctx.exit_code = RunListShards(*o);
  });

  auto* put = AddStreamCommand(stream, "put-record", "put one record; prints ShardId and SequenceNumber once durable",
                               o.get());
  put->add_option("--partition-key", o->partition_key, "partition key (1-256 characters)")->required();
  auto* data = put->add_option("--data", o->data, "record data (text)");
  auto* data_file = put->add_option("--data-file", o->data_file, "read the record data from a file");
  data->excludes(data_file);
  put->add_option("--explicit-hash-key", o->explicit_hash_key, "decimal hash key overriding MD5 routing");
  AddLimitsOption(put, o.get());
  put->callback([o, &ctx, data, data_file] {
    if (data->count() + data_file->count() != 1) {
      ctx.exit_code = UsageError("give exactly one of --data or --data-file");
      return;
    }
    ctx.exit_code = RunPutRecord(*o);
  });

  auto* puts = AddStreamCommand(
      stream, "put-records",
      "put JSON lines {\"PartitionKey\",\"Data\"(base64)[,\"ExplicitHashKey\"]} in PutRecords batches; prints one "
      "result line per record, in order, once it is durable",
      o.get());
  puts->add_option("--file", o->file, "JSON Lines input")->required();
  AddLimitsOption(puts, o.get());
  puts->callback([o, &ctx] { ctx.exit_code = RunPutRecords(*o); });

  auto* get = AddStreamCommand(stream, "get-records", "read records of one shard as JSON lines", o.get());
  get->add_option("--shard-id", o->shard_id, "shard, e.g. shardId-000000000000")->required();
  get->add_option("--iterator-type", o->iterator_type,
                  "TRIM_HORIZON|LATEST|AT_SEQUENCE_NUMBER|AFTER_SEQUENCE_NUMBER|AT_TIMESTAMP")
      ->capture_default_str();
  get->add_option("--sequence-number", o->sequence_number, "for AT_/AFTER_SEQUENCE_NUMBER");
  get->add_option("--timestamp", o->timestamp, "for AT_TIMESTAMP: epoch seconds or ISO 8601");
  get->add_option("--limit", o->limit, "records per GetRecords call (1-10000)")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000));
  get->add_flag("--all", o->all, "keep reading until the end of the shard");
  AddLimitsOption(get, o.get());
  get->callback([o, &ctx] { ctx.exit_code = RunGetRecords(*o); });

  auto* checkpoint = stream->add_subcommand("checkpoint", "durable consumer positions");
  checkpoint->require_subcommand(1);
  for (bool set : {false, true}) {
    auto* cmd = AddStreamCommand(checkpoint, set ? "set" : "get",
                                 set ? "record a consumer's position in a shard" : "print a consumer's positions",
                                 o.get());
    cmd->add_option("--consumer", o->consumer, "consumer name")->required();
    cmd->add_option("--shard-id", o->shard_id, "shard (all shards when omitted, for get)");
    cmd->add_option("--sequence-number", o->sequence_number, "the last processed sequence number (set)");
    cmd->callback([o, &ctx, set] { ctx.exit_code = RunCheckpoint(*o, set); });
  }
}

}  // namespace brewline::cli
