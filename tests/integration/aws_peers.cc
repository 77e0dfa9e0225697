#include "integration/aws_peers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "common/file_system.h"
#include "lambda/firehose_events.h"

namespace brewline::integration {
namespace {

std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

AwsPeers::AwsPeers() {
  dir_ = std::make_unique<testing::TempDir>();
  std::string shim = FindOnPath("python3");
  if (shim.empty()) {
    error_ = "python3 not found on PATH";
    return;
  }
  auto r = testing::RunCommand({shim, "-c", "import sys, moto, boto3; print(sys.executable)"}, "",
                               std::chrono::seconds(60));
  if (r.exit_code != 0) {
    error_ = "the default python3 lacks moto/boto3: " + r.err;
    return;
  }
  python_ = Trim(r.out);

  moto_port_ = testing::FreeTcpPort();
  moto_ = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{python_, "-m", "moto.server", "-H", "127.0.0.1", "-p", std::to_string(moto_port_)},
      dir_->Join("moto.out"), dir_->Join("moto.err"));
  std::string s3rver_bin = testing::SourceDir() + "/.cache/npm/node_modules/.bin/s3rver";
  if (::access(s3rver_bin.c_str(), X_OK) != 0) {
    error_ = "s3rver not installed at " + s3rver_bin + " (run scripts/install-deps.sh test)";
    return;
  }
  s3rver_port_ = testing::FreeTcpPort();
  (void)PosixFileSystem::Get().CreateDirs(dir_->Join("s3rver")).ok();
  s3rver_ = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{s3rver_bin, "-d", dir_->Join("s3rver"), "-a", "127.0.0.1", "-p",
                               std::to_string(s3rver_port_), "-s", "--no-vhost-buckets"},
      dir_->Join("s3rver.out"), dir_->Join("s3rver.err"),
      // s3rver 3.7 ciphers its ListObjectsV2 continuation tokens with DES, which Node 17+ (OpenSSL 3) only
      // offers through the legacy provider; without it every truncated listing is a 500.
      std::map<std::string, std::string>{{"NODE_OPTIONS", "--openssl-legacy-provider"}});
  if (!testing::WaitForPort(moto_port_, std::chrono::seconds(60))) {
    error_ = "moto server did not start on port " + std::to_string(moto_port_);
    return;
  }
  if (!testing::WaitForPort(s3rver_port_, std::chrono::seconds(60))) {
    error_ = "s3rver did not start on port " + std::to_string(s3rver_port_);
  }
}

AwsPeers::~AwsPeers() = default;

std::map<std::string, std::string> AwsPeers::Env() const {
  return {{"AWS_ACCESS_KEY_ID", kAccessKey},
          {"AWS_SECRET_ACCESS_KEY", kSecretKey},
          {"AWS_DEFAULT_REGION", kRegion},
          {"AWS_REGION", kRegion},
          {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"},
          {"AWS_CONFIG_FILE", "/nonexistent"}};
}

nlohmann::json AwsPeers::Boto(const std::string& endpoint, const std::vector<std::string>& args,
                              std::string* err) const {
  std::vector<std::string> argv = {python_, testing::SourceDir() + "/tests/integration/aws_peer.py", endpoint};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = testing::RunCommand(argv, "", std::chrono::seconds(90), Env());
  if (r.exit_code != 0) {
    *err = "aws_peer.py " + (args.empty() ? "" : args[0]) + " failed: " + r.err.substr(0, 2000);
    return nullptr;
  }
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  if (j.is_discarded()) {
    *err = "aws_peer.py printed no JSON: " + r.out.substr(0, 500);
    return nullptr;
  }
  return j;
}

AwsPeers& Peers() {
  static AwsPeers* peers = new AwsPeers();  // children are killed by their destructors' SIGKILL at exit below
  static struct Cleanup {
    ~Cleanup() { delete peers; }
  } cleanup;
  return *peers;
}

nlohmann::json BotoOrFail(const std::string& endpoint, const std::vector<std::string>& args) {
  std::string err;
  nlohmann::json j = Peers().Boto(endpoint, args, &err);
  EXPECT_FALSE(j.is_null()) << err;
  return j;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string line;
  while (std::getline(ss, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

size_t CsvFieldCount(const std::string& line) {
  size_t fields = 1;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields++;
  }
  return fields;
}

std::vector<std::string> BucketLines(const std::string& endpoint, const std::string& bucket) {
  std::vector<std::string> lines;
  for (const auto& obj : BotoOrFail(endpoint, {"list-objects", bucket})) {
    nlohmann::json got = BotoOrFail(endpoint, {"get-object", bucket, obj["key"].get<std::string>()});
    for (auto& l : Lines(got["data"].get<std::string>())) lines.push_back(l);
  }
  return lines;
}

PunkApi::PunkApi() {
  auto ds = punkapi::Dataset::Load(PosixFileSystem::Get(), lambda_testing::DatasetPath());
  EXPECT_TRUE(ds.ok()) << ds.status().ToString();
  if (!ds.ok()) return;
  server_ = std::make_unique<punkapi::Server>(std::make_shared<const punkapi::Dataset>(std::move(*ds)));
  Status st = server_->Start("127.0.0.1", 0);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

IngestLambda::IngestLambda(const std::string& stream, const std::map<std::string, std::string>& env_overrides) {
  auto env = Peers().Env();
  env["AWS_LAMBDA_RUNTIME_API"] = runtime_.address();
  env["BREWLINE_PUNKAPI_URL"] = api_.url();
  env["BREWLINE_STREAM_NAME"] = stream;
  env["AWS_ENDPOINT_URL_KINESIS"] = Peers().moto_url();
  for (const auto& [k, v] : env_overrides) env[k] = v;
  child_ = std::make_unique<testing::ChildProcess>(
      std::vector<std::string>{testing::BinaryDir() + "/lambdas/ingest/bootstrap"}, logs_.Join("stdout"),
      logs_.Join("stderr"), env);
}

std::string IngestLambda::Describe() {
  std::string out = child_->running() ? "bootstrap still running" : "bootstrap exited";
  for (const char* name : {"stdout", "stderr"}) {
    auto text = PosixFileSystem::Get().ReadFile(logs_.Join(name));
    std::string tail = text.ok() ? *text : text.status().ToString();
    if (tail.size() > 2000) tail = "..." + tail.substr(tail.size() - 2000);
    out += std::string("; its ") + name + ": " + (tail.empty() ? "(empty)" : tail);
  }
  return out;
}

std::optional<lambda_testing::Outcome> IngestLambda::Invoke(const std::string& event) {
  return runtime_.WaitOutcome(runtime_.Enqueue(event), std::chrono::seconds(30));
}

Result<aws::AwsBackends> MakeBackends(const std::string& kinesis_url, const std::string& s3_url,
                                      const std::string& stream, const std::string& raw, const std::string& cleaned) {
  aws::AwsBackendConfig config;
  config.kinesis_endpoint_url = kinesis_url;
  config.s3_endpoint_url = s3_url;
  config.stream_name = stream;
  config.raw_bucket = raw;
  config.cleaned_bucket = cleaned;
  auto env = Peers().Env();
  return aws::MakeAwsBackends(config, aws::MapEnv(env), PosixFileSystem::Get(), SystemClock::Get());
}

}  // namespace brewline::integration
