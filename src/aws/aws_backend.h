// The AWS backend factory: builds the Kinesis stream and the S3 object store from a small config, resolving
// credentials, region and endpoints as the AWS CLI does (aws/credentials.h). This is what
// `brewline run --backend aws` calls. Nothing is created in AWS: VerifyAwsResources only checks that the
// stream and buckets exist and says clearly which one is missing.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "common/backoff.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "store/object_store.h"
#include "stream/stream.h"

namespace brewline::aws {

struct AwsBackendConfig {
  std::string region;                // "" = AWS_REGION / AWS_DEFAULT_REGION / profile
  std::string profile;               // "" = AWS_PROFILE / "default"
  std::string endpoint_url;          // --endpoint-url: all services (beats AWS_ENDPOINT_URL*)
  std::string kinesis_endpoint_url;  // per-service override (beats endpoint_url)
  std::string s3_endpoint_url;
  std::string stream_name = "beers";
  std::string raw_bucket = "raw";
  std::string cleaned_bucket = "cleaned";
  std::optional<bool> s3_path_style;  // default: path-style exactly when the S3 endpoint is custom
  BackoffPolicy retry{std::chrono::milliseconds(100), std::chrono::milliseconds(5000), 5};
};

// What the factory resolved (for logs and `status`; no secrets).
struct AwsBackendInfo {
  std::string region;
  std::string kinesis_endpoint;  // origin URL
  std::string s3_endpoint;
  bool s3_path_style = false;
  std::string credentials;       // Credentials::ToString() (redacted)
};

struct AwsBackends {
  std::unique_ptr<stream::Stream> stream;       // aws::KinesisStream over config.stream_name
  std::unique_ptr<store::ObjectStore> store;    // aws::S3ObjectStore (use config.raw_bucket / cleaned_bucket)
  AwsBackendConfig config;
  AwsBackendInfo info;
};

// Resolves everything and builds the clients; makes no network call. `http` = nullptr uses a CurlHttpClient.
// `clock` must outlive the returned objects (SystemClock::Get() in production).
Result<AwsBackends> MakeAwsBackends(const AwsBackendConfig& config, const EnvLookup& env, FileSystem& fs,
                                    Clock& clock, std::shared_ptr<HttpClient> http = nullptr);

// DescribeStreamSummary on the stream and HEAD on both buckets: OK, or the first NotFound/PermissionDenied
// naming what is missing.
Status VerifyAwsResources(AwsBackends& backends);

}  // namespace brewline::aws
