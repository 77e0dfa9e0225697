#include "pipeline/aws_status.h"

#include <algorithm>

#include "aws/aws_backend.h"
#include "common/time_util.h"
#include "delivery/delivery_state.h"

namespace brewline::pipeline {
namespace {

using Json = nlohmann::ordered_json;

// Collects the remote sections; `first_error` keeps the first failure, later ones only mark their section.
class AwsSections {
 public:
  AwsSections(const PipelineConfig& config, FileSystem& fs, Clock& clock, const AwsStatusOptions& options)
      : config_(config), fs_(fs), clock_(clock), options_(options) {}

  RemoteSections Collect(const aws::EnvLookup& env) {
    out_.backend = {{"name", "aws"}};
    out_.stream = {{"name", config_.stream}, {"shards", Json::array()}};
    out_.buckets = Json::array();
    aws::AwsBackendConfig ac = AwsBackendConfigFor(config_);
    // A status command answers quickly: a short retry budget instead of run's five attempts up to 5 s.
    ac.retry = BackoffPolicy{std::chrono::milliseconds(100), std::chrono::milliseconds(1000), 2};
    auto backends = aws::MakeAwsBackends(ac, env, fs_, clock_, options_.http);
    if (!backends.ok()) {
      Fail(backends.status().WithContext("aws backend"));
      out_.backend_text = "backend: aws (not configured: " + backends.status().message() + ")\n";
      out_.stream_text = "stream " + config_.stream + " (Kinesis): unavailable\n";
      out_.buckets_text = "buckets (S3): unavailable\n";
      return std::move(out_);
    }
    out_.backend["region"] = backends->info.region;
    out_.backend["kinesis_endpoint"] = backends->info.kinesis_endpoint;
    out_.backend["s3_endpoint"] = backends->info.s3_endpoint;
    out_.backend_text = "backend: aws, region " + backends->info.region + ", Kinesis " +
                        backends->info.kinesis_endpoint + ", S3 " + backends->info.s3_endpoint + "\n";
    std::vector<std::string> shards = StreamSection(*backends->stream);
    LagSection(*backends->stream, shards);
    BucketSection(*backends->store, {config_.aws.raw_bucket, config_.aws.cleaned_bucket});
    return std::move(out_);
  }

  const Status& first_error() const { return first_error_; }

 private:
  void Fail(const Status& st) {
    if (first_error_.ok()) {
      first_error_ = st;
      out_.backend["error"] = st.ToString();
    }
  }

  // Returns the shard ids (empty when the stream could not be read).
  std::vector<std::string> StreamSection(stream::Stream& s) {
    std::vector<std::string> ids;
    const std::string head = "stream " + config_.stream + " (Kinesis): ";
    auto summary = s.DescribeSummary();
    if (!summary.ok()) {
      Fail(summary.status().WithContext("Kinesis stream " + config_.stream));
      out_.stream["error"] = summary.status().ToString();
      out_.stream_text = head + "unavailable (" + summary.status().message() + ")\n";
      return ids;
    }
    out_.stream["status"] = summary->stream_status;
    out_.stream["retention_hours"] = summary->retention_period_hours;
    out_.stream["open_shards"] = summary->open_shard_count;
    out_.stream["arn"] = summary->stream_arn;
    out_.stream_text = head + summary->stream_status + ", " + std::to_string(summary->open_shard_count) +
                       " open shards, retention " + std::to_string(summary->retention_period_hours) + " h\n";
    auto shards = s.ListShards();
    if (!shards.ok()) {
      Fail(shards.status().WithContext("Kinesis stream " + config_.stream));
      out_.stream["error"] = shards.status().ToString();
      out_.stream_text += "  shards unavailable (" + shards.status().message() + ")\n";
      return ids;
    }
    Json js = Json::array();
    for (const auto& sh : *shards) {
      const bool open = sh.ending_sequence_number.empty();
      js.push_back({{"shard_id", sh.shard_id}, {"open", open}});
      out_.stream_text += "  " + sh.shard_id + ": " + (open ? "open" : "closed") + "\n";
      ids.push_back(sh.shard_id);
    }
    out_.stream["shards"] = js;
    return ids;
  }

  // One bounded read after `checkpoint` ("" = from TRIM_HORIZON).
  ConsumerLag ReadLag(stream::Stream& s, const std::string& consumer, const std::string& shard,
                      const std::string& checkpoint) {
    ConsumerLag lag = NewLag(consumer, "delivery", shard);
    stream::IteratorRequest req;
    req.shard_id = shard;
    req.type = checkpoint.empty() ? stream::IteratorType::kTrimHorizon : stream::IteratorType::kAfterSequenceNumber;
    req.sequence_number = checkpoint;
    auto it = s.GetShardIterator(req);
    if (!it.ok()) {
      Fail(it.status().WithContext("lag of " + consumer + " on " + shard));
      lag.error = it.status().message();
      return lag;
    }
    std::string iterator = *it;
    const uint64_t limit = static_cast<uint64_t>(std::max(1, options_.max_records_per_read));
    int64_t oldest_arrival = 0, behind_latest = 0;
    for (int read = 0; read < std::max(1, options_.max_reads) && !iterator.empty(); ++read) {
      auto got = s.GetRecords(iterator, static_cast<int>(limit - lag.records_behind));
      if (!got.ok()) {
        Fail(got.status().WithContext("lag of " + consumer + " on " + shard));
        lag.error = got.status().message();
        return lag;
      }
      if (oldest_arrival == 0 && !got->records.empty()) oldest_arrival = got->records.front().approximate_arrival_ms;
      lag.records_behind += got->records.size();
      behind_latest = got->millis_behind_latest;
      iterator = got->next_shard_iterator;
      // Caught up with the tip, or the bound is reached; an empty page short of the tip reads on.
      if (behind_latest == 0 || lag.records_behind >= limit || !got->records.empty()) break;
    }
    lag.records_behind_exact = behind_latest == 0 && lag.records_behind < limit;
    lag.millis_behind_latest = behind_latest;
    if (oldest_arrival > 0) lag.ms_behind = std::max<int64_t>(0, clock_.NowMillis() - oldest_arrival);
    return lag;
  }

  void LagSection(stream::Stream& s, const std::vector<std::string>& shards) {
    const std::string root = JoinPath(config_.data_dir, "delivery");
    if (shards.empty() || !fs_.IsDirectory(root)) return;
    auto names = fs_.ListDir(root);
    if (!names.ok()) return;
    for (const std::string& name : *names) {
      const std::string dir = delivery::DeliveryStateDir(config_.data_dir, name);
      if (name.empty() || name[0] == '.' || !fs_.IsDirectory(dir)) continue;
      auto state = delivery::LoadDeliveryState(fs_, dir);
      for (const std::string& shard : shards) {
        if (!state.ok()) {
          ConsumerLag lag = NewLag(name, "delivery", shard);
          lag.error = state.status().message();
          out_.lags.push_back(std::move(lag));
          continue;
        }
        auto cp = state->checkpoints.find(shard);
        out_.lags.push_back(ReadLag(s, name, shard, cp == state->checkpoints.end() ? "" : cp->second));
      }
    }
    out_.lags_note = "  (records: one read of at most " + std::to_string(options_.max_records_per_read) +
                     " after the local checkpoint, exact unless 'at least'; ms behind: age of the oldest pending "
                     "record by Kinesis's arrival time against this machine's clock, an estimate)\n";
  }

  void BucketSection(store::ObjectStore& store, const std::vector<std::string>& buckets) {
    out_.buckets_text = "buckets (S3):\n";
    for (const std::string& b : buckets) {
      uint64_t objects = 0, bytes = 0;
      bool complete = false;
      store::ListOptions opts;
      opts.max_keys = options_.list_page_size;
      Status failed;
      for (int page_no = 0; page_no < std::max(1, options_.max_list_pages); ++page_no) {
        auto page = store.List(b, opts);
        if (!page.ok()) {
          failed = page.status();
          break;
        }
        for (const auto& o : page->objects) {
          objects++;
          bytes += o.size;
        }
        if (!page->is_truncated) {
          complete = true;
          break;
        }
        opts.continuation_token = page->next_continuation_token;
      }
      if (!failed.ok()) {
        Fail(failed.WithContext("S3 bucket " + b));
        out_.buckets.push_back({{"name", b}, {"error", failed.ToString()}});
        out_.buckets_text += "  " + b + ": unavailable (" + failed.message() + ")\n";
        continue;
      }
      out_.buckets.push_back({{"name", b}, {"objects", objects}, {"bytes", bytes}, {"complete", complete}});
      const std::string at_least = complete ? "" : "at least ";
      out_.buckets_text += "  " + b + ": " + at_least + std::to_string(objects) + " objects, " + at_least +
                           FormatByteCount(bytes) + (complete ? "" : " (listing stopped after " +
                                                                         std::to_string(options_.max_list_pages) +
                                                                         " pages)") + "\n";
    }
  }

  const PipelineConfig& config_;
  FileSystem& fs_;
  Clock& clock_;
  const AwsStatusOptions& options_;
  RemoteSections out_;
  Status first_error_;
};

}  // namespace

Result<AwsStatusReport> CollectAwsStatus(const PipelineConfig& config, const aws::EnvLookup& env, FileSystem& fs,
                                         Clock& clock, const AwsStatusOptions& options) {
  AwsSections sections(config, fs, clock, options);
  RemoteSections remote = sections.Collect(env);
  ASSIGN_OR_RETURN(StatusReport report, CollectStatus(fs, clock, config.data_dir, config.stream, &remote));
  return AwsStatusReport{std::move(report), sections.first_error()};
}

}  // namespace brewline::pipeline
