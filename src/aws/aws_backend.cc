#include "aws/aws_backend.h"

#include "aws/aws_client.h"
#include "aws/kinesis_stream.h"
#include "aws/s3_object_store.h"

namespace brewline::aws {
namespace {

// AWS's own endpoint for a service when nothing overrides it.
std::string DefaultEndpoint(const std::string& service, const std::string& region) {
  std::string suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://" + service + "." + region + suffix;
}

}  // namespace

Result<AwsBackends> MakeAwsBackends(const AwsBackendConfig& config, const EnvLookup& env, FileSystem& fs,
                                    Clock& clock, std::shared_ptr<HttpClient> http) {
  if (config.stream_name.empty() || config.raw_bucket.empty() || config.cleaned_bucket.empty()) {
    return InvalidArgument("AWS backend: stream and bucket names must not be empty");
  }
  ASSIGN_OR_RETURN(Credentials creds, ResolveCredentials(env, fs, config.profile));
  std::string region = config.region;
  if (region.empty()) {
    ASSIGN_OR_RETURN(region, ResolveRegion(env, fs, config.profile));
  }
  auto kinesis_override = ResolveEndpointUrl(
      env, fs, "kinesis", config.kinesis_endpoint_url.empty() ? config.endpoint_url : config.kinesis_endpoint_url,
      config.profile);
  auto s3_override = ResolveEndpointUrl(env, fs, "s3",
                                        config.s3_endpoint_url.empty() ? config.endpoint_url : config.s3_endpoint_url,
                                        config.profile);
  ASSIGN_OR_RETURN(Endpoint kinesis_ep, ParseEndpoint(kinesis_override.value_or(DefaultEndpoint("kinesis", region))));
  ASSIGN_OR_RETURN(Endpoint s3_ep, ParseEndpoint(s3_override.value_or(DefaultEndpoint("s3", region))));
  bool path_style = config.s3_path_style.value_or(s3_override.has_value());

  if (!http) http = std::make_shared<CurlHttpClient>();
  auto kinesis_client =
      std::make_shared<AwsClient>(AwsClientOptions{"kinesis", region, config.retry}, creds, http, clock);
  auto s3_client = std::make_shared<AwsClient>(AwsClientOptions{"s3", region, config.retry}, creds, http, clock);

  AwsBackends out;
  out.stream = std::make_unique<KinesisStream>(config.stream_name, kinesis_ep, kinesis_client);
  out.store = std::make_unique<S3ObjectStore>(s3_ep, path_style, s3_client);
  out.config = config;
  out.info = AwsBackendInfo{region, kinesis_ep.Origin() + kinesis_ep.base_path, s3_ep.Origin() + s3_ep.base_path,
                            path_style, creds.ToString()};
  return out;
}

Status VerifyAwsResources(AwsBackends& backends) {
  auto summary = backends.stream->DescribeSummary();
  if (!summary.ok()) return summary.status();
  auto* s3 = dynamic_cast<S3ObjectStore*>(backends.store.get());
  if (s3 == nullptr) return Internal("AWS backend: the store is not an S3ObjectStore");
  RETURN_IF_ERROR(s3->CheckBucket(backends.config.raw_bucket));
  RETURN_IF_ERROR(s3->CheckBucket(backends.config.cleaned_bucket));
  return Status::OK();
}

}  // namespace brewline::aws
