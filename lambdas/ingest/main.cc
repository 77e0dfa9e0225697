// The ingest Lambda: EventBridge Scheduled Event → one random beer from the Punk API → Kinesis PutRecord with
// partition key = beer id. The handler is pipeline::IngestJob, the same object the local scheduler runs; only
// the stream differs (aws::KinesisStream).
//
// Environment (set by infra/terraform/lambda.tf): BREWLINE_PUNKAPI_URL, BREWLINE_STREAM_NAME (default
// "beers"); AWS_REGION and the credentials come from Lambda; AWS_ENDPOINT_URL(_KINESIS) redirect the stream
// (local testing against moto). Initialisation failures are reported with /runtime/init/error.
#include <cstdio>
#include <memory>

#include "aws/aws_backend.h"
#include "aws/lambda_runtime.h"
#include "common/json_escape.h"
#include "common/log.h"
#include "pipeline/ingest_job.h"
#include "pipeline/punkapi_source.h"

namespace {

using namespace brewline;

int Fail(aws::LambdaRuntimeClient& runtime, const Status& st) {
  log::Error("lambda_init_failed", {{"error", st.ToString()}});
  Status posted = runtime.PostInitError("Runtime.InitError", st.ToString());
  if (!posted.ok()) log::Error("lambda_init_error_post_failed", {{"error", posted.ToString()}});
  return 1;
}

}  // namespace

int main() {
  log::Configure(log::Level::kInfo, log::Format::kJson);
  aws::EnvLookup env = aws::ProcessEnv();
  auto runtime = aws::LambdaRuntimeClient::FromEnvironment(env);
  if (!runtime.ok()) {
    std::fprintf(stderr, "error: %s\n", runtime.status().ToString().c_str());
    return 1;
  }

  aws::AwsBackendConfig config;
  if (auto name = env("BREWLINE_STREAM_NAME"); name && !name->empty()) config.stream_name = *name;
  auto backends = aws::MakeAwsBackends(config, env, PosixFileSystem::Get(), SystemClock::Get());
  if (!backends.ok()) return Fail(*runtime, backends.status());

  punkapi::ClientOptions punk;
  if (auto url = env("BREWLINE_PUNKAPI_URL"); url && !url->empty()) {
    punk.url = *url;
  } else {
    return Fail(*runtime, InvalidArgument("BREWLINE_PUNKAPI_URL is not set"));
  }
  // Lambda's timeout bounds the invocation; keep the fetch well inside it.
  punk.deadline = std::chrono::seconds(20);
  pipeline::PunkApiSource source(punk, SystemClock::Get());
  pipeline::IngestJob job(source, *backends->stream, SystemClock::Get());
  log::Info("lambda_ingest_ready", {{"stream", config.stream_name},
                                    {"region", backends->info.region},
                                    {"kinesis", backends->info.kinesis_endpoint}});

  Status st = runtime->Run([&](const aws::Invocation& inv) -> Result<std::string> {
    RETURN_IF_ERROR(job.RunOnce(inv.payload));
    std::string out = "{\"status\":\"ok\",\"result\":";
    AppendJsonString(&out, job.stats().last_result);
    out += "}";
    return out;
  });
  if (!st.ok()) {
    log::Error("lambda_runtime_exit", {{"error", st.ToString()}});
    return 1;
  }
  return 0;
}
