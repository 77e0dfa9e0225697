// The ingest Lambda: EventBridge Scheduled Event → one random beer from the Punk API → Kinesis PutRecord with
// partition key = beer id. The handler is pipeline::IngestJob, the same object the local scheduler runs; only
// the stream differs (aws::KinesisStream).
//
// Environment (set by infra/terraform/lambda.tf): BREWLINE_PUNKAPI_URL, BREWLINE_STREAM_NAME (default
// "beers"); AWS_REGION and the credentials come from Lambda; AWS_ENDPOINT_URL(_KINESIS) redirect the stream
// (local testing against moto). Initialisation failures are reported with /runtime/init/error.
#include <memory>

#include "aws/aws_backend.h"
#include "aws/lambda_runtime.h"
#include "common/json_escape.h"
#include "common/log.h"
#include "pipeline/ingest_job.h"
#include "pipeline/punkapi_source.h"

namespace {

using namespace brewline;

// What the handler keeps across warm invocations; the job refers to the stream and the source.
struct Ingest {
  aws::AwsBackends backends;
  std::unique_ptr<pipeline::PunkApiSource> source;
  std::unique_ptr<pipeline::IngestJob> job;
};

Result<aws::LambdaHandler> Init(const aws::EnvLookup& env) {
  aws::AwsBackendConfig config;
  if (auto name = env("BREWLINE_STREAM_NAME"); name && !name->empty()) config.stream_name = *name;
  auto ingest = std::make_shared<Ingest>();
  ASSIGN_OR_RETURN(ingest->backends, aws::MakeAwsBackends(config, env, PosixFileSystem::Get(), SystemClock::Get()));
  punkapi::ClientOptions punk;
  auto url = env("BREWLINE_PUNKAPI_URL");
  if (!url || url->empty()) return InvalidArgument("BREWLINE_PUNKAPI_URL is not set");
  punk.url = *url;
  // Lambda's timeout bounds the invocation; keep the fetch well inside it.
  punk.deadline = std::chrono::seconds(20);
  ingest->source = std::make_unique<pipeline::PunkApiSource>(punk, SystemClock::Get());
  ingest->job = std::make_unique<pipeline::IngestJob>(*ingest->source, *ingest->backends.stream, SystemClock::Get());
  log::Info("lambda_ingest_ready", {{"stream", config.stream_name},
                                    {"region", ingest->backends.info.region},
                                    {"kinesis", ingest->backends.info.kinesis_endpoint}});
  return aws::LambdaHandler([ingest](const aws::Invocation& inv) -> Result<std::string> {
    RETURN_IF_ERROR(ingest->job->RunOnce(inv.payload));
    std::string out = "{\"status\":\"ok\",\"result\":";
    AppendJsonString(&out, ingest->job->stats().last_result);
    out += "}";
    return out;
  });
}

}  // namespace

int main() { return brewline::aws::RunLambdaBootstrap(Init); }
