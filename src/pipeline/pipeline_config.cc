#include "pipeline/pipeline_config.h"

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "common/duration.h"
#include "common/json_escape.h"
#include "schedule/schedule_expression.h"
#include "stream/shard_limits.h"

namespace brewline::pipeline {
namespace {

// Reads TOML values into the config, collecting the first error.
class Reader {
 public:
  Reader(std::string_view source, PipelineConfig* c) : source_(source), c_(c) {}

  Status Read(const toml::table& root) {
    static const std::set<std::string> kTop = {"data_dir", "source", "source_timeout", "punkapi_listen", "admin_listen", "serve_listen",
                                               "backend", "schedule",
                                               "every", "run_for", "run_at_start", "stream", "shards", "shard_limits",
                                               "delivery", "table", "event", "aws"};
    static const std::set<std::string> kDelivery = {"buffer_interval", "buffer_size_mb", "poll_interval"};
    static const std::set<std::string> kTable = {"enabled", "sync_interval"};
    static const std::set<std::string> kEvent = {"rule_name", "account", "region"};
    static const std::set<std::string> kAws = {"region", "profile", "endpoint_url", "raw_bucket", "cleaned_bucket"};
    RETURN_IF_ERROR(CheckKeys(root, kTop, ""));
    RETURN_IF_ERROR(Str(root, "data_dir", &c_->data_dir));
    RETURN_IF_ERROR(Str(root, "source", &c_->source));
    RETURN_IF_ERROR(Duration(root, "", "source_timeout", &c_->source_timeout));
    RETURN_IF_ERROR(Str(root, "punkapi_listen", &c_->punkapi_listen));
    RETURN_IF_ERROR(Str(root, "admin_listen", &c_->admin_listen));
    RETURN_IF_ERROR(Str(root, "serve_listen", &c_->serve_listen));
    RETURN_IF_ERROR(Str(root, "backend", &c_->backend));
    RETURN_IF_ERROR(Str(root, "schedule", &c_->schedule));
    RETURN_IF_ERROR(OptDuration(root, "every", &c_->every));
    RETURN_IF_ERROR(OptDuration(root, "run_for", &c_->run_for));
    RETURN_IF_ERROR(Bool(root, "run_at_start", &c_->run_at_start));
    RETURN_IF_ERROR(Str(root, "stream", &c_->stream));
    RETURN_IF_ERROR(Int(root, "shards", &c_->shards));
    RETURN_IF_ERROR(Str(root, "shard_limits", &c_->shard_limits));
    if (const toml::table* d = Section(root, "delivery")) {
      RETURN_IF_ERROR(CheckKeys(*d, kDelivery, "delivery."));
      RETURN_IF_ERROR(Duration(*d, "delivery.", "buffer_interval", &c_->buffer_interval));
      RETURN_IF_ERROR(Int(*d, "buffer_size_mb", &c_->buffer_size_mb, "delivery."));
      RETURN_IF_ERROR(Duration(*d, "delivery.", "poll_interval", &c_->poll_interval));
    }
    if (const toml::table* t = Section(root, "table")) {
      RETURN_IF_ERROR(CheckKeys(*t, kTable, "table."));
      RETURN_IF_ERROR(Bool(*t, "enabled", &c_->table_enabled, "table."));
      RETURN_IF_ERROR(Duration(*t, "table.", "sync_interval", &c_->table_sync_interval));
    }
    if (const toml::table* e = Section(root, "event")) {
      RETURN_IF_ERROR(CheckKeys(*e, kEvent, "event."));
      RETURN_IF_ERROR(Str(*e, "rule_name", &c_->event.rule_name, "event."));
      RETURN_IF_ERROR(Str(*e, "account", &c_->event.account, "event."));
      RETURN_IF_ERROR(Str(*e, "region", &c_->event.region, "event."));
    }
    if (const toml::table* a = Section(root, "aws")) {
      RETURN_IF_ERROR(CheckKeys(*a, kAws, "aws."));
      RETURN_IF_ERROR(Str(*a, "region", &c_->aws.region, "aws."));
      RETURN_IF_ERROR(Str(*a, "profile", &c_->aws.profile, "aws."));
      RETURN_IF_ERROR(Str(*a, "endpoint_url", &c_->aws.endpoint_url, "aws."));
      RETURN_IF_ERROR(Str(*a, "raw_bucket", &c_->aws.raw_bucket, "aws."));
      RETURN_IF_ERROR(Str(*a, "cleaned_bucket", &c_->aws.cleaned_bucket, "aws."));
    }
    return section_error_;
  }

 private:
  Status Bad(const std::string& key, const std::string& why) const {
    return InvalidArgument(std::string(source_) + ": " + key + ": " + why);
  }
  Status CheckKeys(const toml::table& t, const std::set<std::string>& known, const std::string& prefix) {
    for (const auto& [k, v] : t) {
      std::string key(k.str());
      if (!known.count(key)) return Bad(prefix + key, "unknown key");
    }
    return Status::OK();
  }
  const toml::table* Section(const toml::table& root, const char* name) {
    const toml::node* n = root.get(name);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) {
      section_error_ = Bad(name, "expected a table ([" + std::string(name) + "])");
      return nullptr;
    }
    return n->as_table();
  }
  Status Str(const toml::table& t, const char* key, std::string* out, const std::string& prefix = "") {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status::OK();
    if (!n->is_string()) return Bad(prefix + key, "expected a string");
    *out = n->as_string()->get();
    return Status::OK();
  }
  Status Bool(const toml::table& t, const char* key, bool* out, const std::string& prefix = "") {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status::OK();
    if (!n->is_boolean()) return Bad(prefix + key, "expected true or false");
    *out = n->as_boolean()->get();
    return Status::OK();
  }
  Status Int(const toml::table& t, const char* key, int* out, const std::string& prefix = "") {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status::OK();
    if (!n->is_integer()) return Bad(prefix + key, "expected an integer");
    int64_t v = n->as_integer()->get();
    if (v < -1000000000 || v > 1000000000) return Bad(prefix + key, "out of range");
    *out = static_cast<int>(v);
    return Status::OK();
  }
  Status Duration(const toml::table& t, const std::string& prefix, const char* key, std::chrono::milliseconds* out) {
    std::optional<std::chrono::milliseconds> v;
    RETURN_IF_ERROR(OptDuration(t, key, &v, prefix));
    if (v) *out = *v;
    return Status::OK();
  }
  Status OptDuration(const toml::table& t, const char* key, std::optional<std::chrono::milliseconds>* out,
                     const std::string& prefix = "") {
    const toml::node* n = t.get(key);
    if (n == nullptr) return Status::OK();
    if (!n->is_string()) return Bad(prefix + key, "expected a duration string such as \"5s\"");
    const std::string& text = n->as_string()->get();
    if (text.empty()) {
      out->reset();
      return Status::OK();
    }
    auto d = ParseDuration(text);
    if (!d.ok()) return Bad(prefix + key, d.status().message());
    *out = *d;
    return Status::OK();
  }

  std::string_view source_;
  PipelineConfig* c_;
  Status section_error_;
};

// A TOML basic string: JSON's escapes (\" \\ \n \t \uXXXX) are all valid TOML escapes.
std::string Quote(const std::string& s) { return JsonQuote(s); }

}  // namespace

Status ParsePipelineConfig(std::string_view toml_text, std::string_view source_name, PipelineConfig* config) {
  // toml++ is built with exceptions here: catch them at this edge.
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& err) {
    return InvalidArgument(std::string(source_name) + ":" + std::to_string(err.source().begin.line) + ":" +
                           std::to_string(err.source().begin.column) + ": " + std::string(err.description()));
  }
  return Reader(source_name, config).Read(root);
}

Status LoadPipelineConfigFile(const std::string& path, PipelineConfig* config) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read config file " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  return ParsePipelineConfig(buf.str(), path, config);
}

Status ParseListenAddress(const std::string& text, std::string* host, int* port) {
  std::string h = "127.0.0.1";
  std::string p = text;
  size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    if (colon > 0) h = text.substr(0, colon);
    p = text.substr(colon + 1);
  }
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos || std::stoi(p) > 65535) {
    return InvalidArgument("invalid listen address '" + text + "' (write host:port, e.g. 127.0.0.1:9333)");
  }
  *host = h;
  *port = std::stoi(p);
  return Status::OK();
}

Status ValidatePipelineConfig(const PipelineConfig& c) {
  if (c.data_dir.empty()) return InvalidArgument("data_dir must not be empty");
  if (!c.every) {
    auto expr = schedule::ScheduleExpression::Parse(c.schedule);
    if (!expr.ok()) return InvalidArgument("schedule: " + expr.status().message());
  } else if (c.every->count() < 1) {
    return InvalidArgument("every: must be at least 1ms");
  }
  if (c.run_for && c.run_for->count() < 0) return InvalidArgument("run_for: must not be negative");
  std::string host;
  int port = 0;
  RETURN_IF_ERROR(ParseListenAddress(c.punkapi_listen, &host, &port).WithContext("punkapi_listen"));
  RETURN_IF_ERROR(ParseListenAddress(c.admin_listen, &host, &port).WithContext("admin_listen"));
  RETURN_IF_ERROR(ParseListenAddress(c.serve_listen, &host, &port).WithContext("serve_listen"));
  if (c.backend != "local" && c.backend != "aws") {
    return InvalidArgument("backend: must be \"local\" or \"aws\", not \"" + c.backend + "\"");
  }
  if (c.stream.empty()) return InvalidArgument("stream: must not be empty");
  if (c.backend == "aws") {
    if (c.aws.raw_bucket.empty()) return InvalidArgument("aws.raw_bucket: must not be empty");
    if (c.aws.cleaned_bucket.empty()) return InvalidArgument("aws.cleaned_bucket: must not be empty");
    if (c.aws.raw_bucket == c.aws.cleaned_bucket) {
      return InvalidArgument("aws.raw_bucket and aws.cleaned_bucket must differ (both are '" + c.aws.raw_bucket + "')");
    }
  }
  if (c.source_timeout.count() < 1) return InvalidArgument("source_timeout: must be at least 1ms");
  if (c.shards < 1 || c.shards > 1000) return InvalidArgument("shards: must be 1-1000");
  RETURN_IF_ERROR(stream::ParseShardLimits(c.shard_limits).status().WithContext("shard_limits"));
  if (c.buffer_interval.count() < 0 || c.buffer_interval > std::chrono::seconds(900) ||
      c.buffer_interval.count() % 1000 != 0) {
    return InvalidArgument("delivery.buffer_interval: must be whole seconds from 0s to 900s (Firehose's range)");
  }
  if (c.buffer_size_mb < 1 || c.buffer_size_mb > 128) return InvalidArgument("delivery.buffer_size_mb: must be 1-128");
  if (c.poll_interval.count() < 1) return InvalidArgument("delivery.poll_interval: must be at least 1ms");
  if (c.table_sync_interval.count() < 1) return InvalidArgument("table.sync_interval: must be at least 1ms");
  return Status::OK();
}

std::string PipelineConfigToToml(const PipelineConfig& c) {
  auto dur = [](const std::optional<std::chrono::milliseconds>& d) { return Quote(d ? FormatDuration(*d) : ""); };
  std::ostringstream out;
  out << "# brewline run: effective configuration\n"
      << "data_dir = " << Quote(c.data_dir) << "\n"
      << "source = " << Quote(c.source) << "  # \"\" = the built-in Punk API server\n"
      << "source_timeout = " << Quote(FormatDuration(c.source_timeout)) << "\n"
      << "punkapi_listen = " << Quote(c.punkapi_listen) << "\n"
      << "admin_listen = " << Quote(c.admin_listen) << "\n"
      << "serve_listen = " << Quote(c.serve_listen) << "  # prediction API (local backend only)\n"
      << "backend = " << Quote(c.backend) << "  # \"local\" | \"aws\"\n"
      << "schedule = " << Quote(c.schedule) << "\n"
      << "every = " << dur(c.every) << "  # replaces schedule when set\n"
      << "run_for = " << dur(c.run_for) << "  # \"\" = until SIGINT/SIGTERM\n"
      << "run_at_start = " << (c.run_at_start ? "true" : "false") << "\n"
      << "stream = " << Quote(c.stream) << "\n"
      << "shards = " << c.shards << "\n"
      << "shard_limits = " << Quote(c.shard_limits) << "  # \"kinesis\" | \"unlimited\" (local backend)\n\n"
      << "[delivery]\n"
      << "buffer_interval = " << Quote(FormatDuration(c.buffer_interval)) << "\n"
      << "buffer_size_mb = " << c.buffer_size_mb << "\n"
      << "poll_interval = " << Quote(FormatDuration(c.poll_interval)) << "\n\n"
      << "[table]\n"
      << "enabled = " << (c.table_enabled ? "true" : "false") << "\n"
      << "sync_interval = " << Quote(FormatDuration(c.table_sync_interval)) << "\n\n"
      << "[event]\n"
      << "rule_name = " << Quote(c.event.rule_name) << "\n"
      << "account = " << Quote(c.event.account) << "\n"
      << "region = " << Quote(c.event.region) << "\n\n"
      << "[aws]  # backend = \"aws\"; \"\" = as the AWS CLI resolves it\n"
      << "region = " << Quote(c.aws.region) << "\n"
      << "profile = " << Quote(c.aws.profile) << "\n"
      << "endpoint_url = " << Quote(c.aws.endpoint_url) << "\n"
      << "raw_bucket = " << Quote(c.aws.raw_bucket) << "\n"
      << "cleaned_bucket = " << Quote(c.aws.cleaned_bucket) << "\n";
  return out.str();
}

aws::AwsBackendConfig AwsBackendConfigFor(const PipelineConfig& config) {
  aws::AwsBackendConfig ac;
  ac.region = config.aws.region;
  ac.profile = config.aws.profile;
  ac.endpoint_url = config.aws.endpoint_url;
  ac.stream_name = config.stream;
  ac.raw_bucket = config.aws.raw_bucket;
  ac.cleaned_bucket = config.aws.cleaned_bucket;
  return ac;
}

}  // namespace brewline::pipeline
