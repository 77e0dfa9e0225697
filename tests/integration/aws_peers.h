// Independent AWS peers for the integration tests, started once per test binary: moto server (Kinesis and S3,
// in the machine's default python3) and s3rver (npm; path-style; checks the access key id S3RVER, though
// 3.7.1 does not verify SigV4 signatures — the official suite in tests/aws does that). Streams
// and buckets are created, and results checked, with boto3 (aws_peer.py) — never with our own clients.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aws/aws_backend.h"
#include "lambda/runtime_api_server.h"
#include "punkapi/server.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::integration {

inline constexpr const char* kAccessKey = "S3RVER";  // moto accepts anything; s3rver wants this pair
inline constexpr const char* kSecretKey = "S3RVER";
inline constexpr const char* kRegion = "us-east-1";

class AwsPeers {
 public:
  // Starts both peers; check ok() and error().
  AwsPeers();
  ~AwsPeers();
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  std::string moto_url() const { return "http://127.0.0.1:" + std::to_string(moto_port_); }
  std::string s3rver_url() const { return "http://127.0.0.1:" + std::to_string(s3rver_port_); }
  // The interpreter behind the default `python3` (resolved once, so the pyenv shim is not paid per call).
  const std::string& python() const { return python_; }

  // Runs aws_peer.py against `endpoint`; returns its JSON output, or null with *err set.
  nlohmann::json Boto(const std::string& endpoint, const std::vector<std::string>& args, std::string* err) const;

  // The environment our clients (and the bootstraps) get.
  std::map<std::string, std::string> Env() const;

 private:
  std::string python_;
  int moto_port_ = 0;
  int s3rver_port_ = 0;
  std::unique_ptr<testing::TempDir> dir_;
  std::unique_ptr<testing::ChildProcess> moto_;
  std::unique_ptr<testing::ChildProcess> s3rver_;
  std::string error_;
};

// The peers shared by every test of the binary (started on first use, stopped at exit).
AwsPeers& Peers();

// Peers().Boto, recording a test failure (and returning null) when boto3 fails.
nlohmann::json BotoOrFail(const std::string& endpoint, const std::vector<std::string>& args);

// The non-empty lines of `text`.
std::vector<std::string> Lines(const std::string& text);

// The number of fields of one CSV line (RFC 4180: commas inside double quotes do not separate).
size_t CsvFieldCount(const std::string& line);

// Every line of every object of `bucket` at `endpoint`, read with boto3.
std::vector<std::string> BucketLines(const std::string& endpoint, const std::string& bucket);

// The Punk API v2 server over punkapi-db on an ephemeral port, for the object's life.
class PunkApi {
 public:
  PunkApi();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_ ? server_->port() : 0); }

 private:
  std::unique_ptr<punkapi::Server> server_;
};

// The ingest Lambda bootstrap (lambdas/ingest) on a local Runtime API server, fetching from its own PunkApi and
// putting onto Kinesis stream `stream` on moto. `env_overrides` replace any of its environment variables.
class IngestLambda {
 public:
  explicit IngestLambda(const std::string& stream, const std::map<std::string, std::string>& env_overrides = {});
  lambda_testing::RuntimeApiServer& runtime() { return runtime_; }
  testing::ChildProcess& child() { return *child_; }
  // Queues `event` and waits up to 30 s for the function's answer.
  std::optional<lambda_testing::Outcome> Invoke(const std::string& event);
  // For a failure message: whether the bootstrap still runs, and the end of what it wrote to stdout/stderr.
  std::string Describe();

 private:
  testing::TempDir logs_;
  PunkApi api_;
  lambda_testing::RuntimeApiServer runtime_;
  std::unique_ptr<testing::ChildProcess> child_;
};

// Our backends against the given endpoints.
Result<aws::AwsBackends> MakeBackends(const std::string& kinesis_url, const std::string& s3_url,
                                      const std::string& stream, const std::string& raw = "raw",
                                      const std::string& cleaned = "cleaned");

}  // namespace brewline::integration
