// PipelineConfig: every option of `brewline run`, with the embedded defaults, readable from a TOML file
// (--config) and printable as one (`brewline config show`). Command-line flags override the file.
//
// TOML layout (every key optional):
//   data_dir = "./brewline-data"
//   source = ""                      # Punk API v2 URL; "" = the built-in server over punkapi-db
//   source_timeout = "8s"            # per HTTP attempt
//   punkapi_listen = "127.0.0.1:8333"
//   admin_listen = "127.0.0.1:9333"  # /metrics, /healthz, /v1/status
//   serve_listen = "127.0.0.1:8080"  # prediction API and dashboard (local backend only)
//   backend = "local"                # "local" (files under data_dir) | "aws" (Kinesis + S3)
//   schedule = "rate(5 minutes)"     # EventBridge expression
//   every = ""                       # e.g. "5s": replaces schedule (not an EventBridge expression)
//   run_for = ""                     # e.g. "50s": stop cleanly after that long; "" = until SIGINT/SIGTERM
//   run_at_start = true
//   stream = "beers"                 # the stream name, for both backends
//   shards = 1                       # local backend only (Terraform sizes the Kinesis stream)
//   shard_limits = "kinesis"         # local backend: Kinesis's per-shard throughput limits, or "unlimited"
//   [delivery]  buffer_interval = "5m"  buffer_size_mb = 5  poll_interval = "1s"
//   [table]     enabled = true  sync_interval = "30s"
//   [event]     rule_name = "brewline-ingest"  account = "000000000000"  region = "us-east-1"
//   [aws]       region = ""  profile = ""  endpoint_url = ""  raw_bucket = "raw"  cleaned_bucket = "cleaned"
//               ("" = as the AWS CLI resolves it: AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL[_KINESIS|_S3], …)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "aws/aws_backend.h"
#include "common/result.h"
#include "schedule/scheduled_event.h"

namespace brewline::pipeline {

inline constexpr const char* kDefaultPunkApiListen = "127.0.0.1:8333";
inline constexpr const char* kDefaultAdminListen = "127.0.0.1:9333";
inline constexpr const char* kDefaultServeListen = "127.0.0.1:8080";  // == server::kDefaultServeListen

// Where the stream and the buckets live when backend = "aws" (the stream name is PipelineConfig::stream).
struct AwsSettings {
  std::string region;        // "" = AWS_REGION / AWS_DEFAULT_REGION / the profile's region
  std::string profile;       // "" = AWS_PROFILE / "default"
  std::string endpoint_url;  // "" = AWS_ENDPOINT_URL_KINESIS / _S3 / AWS_ENDPOINT_URL / AWS's own
  std::string raw_bucket = "raw";
  std::string cleaned_bucket = "cleaned";
};

struct PipelineConfig {
  std::string data_dir = "./brewline-data";
  std::string source;  // "" = built-in server
  std::chrono::milliseconds source_timeout{8000};  // one HTTP attempt; a tick gives up after 3 attempts
  std::string punkapi_listen = kDefaultPunkApiListen;
  std::string admin_listen = kDefaultAdminListen;
  std::string serve_listen = kDefaultServeListen;
  std::string backend = "local";  // "local" | "aws"
  std::string schedule = "rate(5 minutes)";
  std::optional<std::chrono::milliseconds> every;
  std::optional<std::chrono::milliseconds> run_for;
  bool run_at_start = true;
  std::string stream = "beers";
  int shards = 1;
  std::string shard_limits = "kinesis";  // local backend: "kinesis" | "unlimited" (stream::ParseShardLimits)
  std::chrono::milliseconds buffer_interval{300000};  // whole seconds (Firehose IntervalInSeconds 0–900)
  int buffer_size_mb = 5;                             // Firehose SizeInMBs 1–128
  std::chrono::milliseconds poll_interval{1000};
  bool table_enabled = true;
  std::chrono::milliseconds table_sync_interval{30000};
  schedule::ScheduledEventOptions event;
  AwsSettings aws;
};

// Reads a TOML file over `config` (keys absent from the file keep their value). InvalidArgument naming the
// file, the key and the problem for unknown keys, wrong types and bad values.
Status LoadPipelineConfigFile(const std::string& path, PipelineConfig* config);
Status ParsePipelineConfig(std::string_view toml_text, std::string_view source_name, PipelineConfig* config);
// Checks ranges and that the schedule parses; the message says which option is wrong.
Status ValidatePipelineConfig(const PipelineConfig& config);
// The effective configuration as TOML, loadable again by LoadPipelineConfigFile.
std::string PipelineConfigToToml(const PipelineConfig& config);

// What `run` and `status` with backend = "aws" give aws::MakeAwsBackends (the other fields keep its defaults).
aws::AwsBackendConfig AwsBackendConfigFor(const PipelineConfig& config);

// "host:port", ":port" or "port" → host (default 127.0.0.1) and port (0–65535).
Status ParseListenAddress(const std::string& text, std::string* host, int* port);

}  // namespace brewline::pipeline
