// The score Lambda: the model in the stream on AWS. A Kinesis event source mapping makes it a third consumer of
// the stream (predictions → the predictions bucket); its function URL serves POST /v1/predict. The handler is
// server::ScoreLambdaHandler, the same scoring code as the local scorer and `brewline serve`.
//
// Environment (infra/terraform/lambda.tf): BREWLINE_MODELS_BUCKET, BREWLINE_PREDICTIONS_BUCKET; AWS_REGION and
// credentials from Lambda; AWS_ENDPOINT_URL(_S3) redirect S3 (local testing). The model registry's bucket name
// "models" is mapped onto BREWLINE_MODELS_BUCKET.
#include <cstdio>
#include <memory>

#include "aws/aws_backend.h"
#include "aws/lambda_runtime.h"
#include "common/log.h"
#include "ml/model_registry.h"
#include "server/model_holder.h"
#include "server/score_lambda.h"

namespace {

using namespace brewline;

// Maps the registry's logical bucket "models" onto the deployment's bucket name.
class RenamedBucketStore final : public store::ObjectStore {
 public:
  RenamedBucketStore(store::ObjectStore& base, std::string models) : base_(base), models_(std::move(models)) {}
  Status Put(const std::string& b, const std::string& k, std::string_view d) override { return base_.Put(Map(b), k, d); }
  Result<std::string> Get(const std::string& b, const std::string& k) override { return base_.Get(Map(b), k); }
  Result<store::ObjectInfo> Head(const std::string& b, const std::string& k) override { return base_.Head(Map(b), k); }
  Result<store::ListPage> List(const std::string& b, const store::ListOptions& o) override { return base_.List(Map(b), o); }
  Status Delete(const std::string& b, const std::string& k) override { return base_.Delete(Map(b), k); }

 private:
  std::string Map(const std::string& b) const { return b == ml::kModelsBucket ? models_ : b; }
  store::ObjectStore& base_;
  std::string models_;
};

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
  auto models_bucket = env("BREWLINE_MODELS_BUCKET");
  auto predictions_bucket = env("BREWLINE_PREDICTIONS_BUCKET");
  if (!models_bucket || models_bucket->empty() || !predictions_bucket || predictions_bucket->empty()) {
    return Fail(*runtime, InvalidArgument("BREWLINE_MODELS_BUCKET and BREWLINE_PREDICTIONS_BUCKET must be set"));
  }
  auto backends = aws::MakeAwsBackends(aws::AwsBackendConfig{}, env, PosixFileSystem::Get(), SystemClock::Get());
  if (!backends.ok()) return Fail(*runtime, backends.status());
  RenamedBucketStore store(*backends->store, *models_bucket);
  server::ModelHolder models(store, SystemClock::Get());
  if (Status st = models.Refresh(); !st.ok()) log::Warn("lambda_score_model", {{"error", st.ToString()}});
  server::ScoreLambdaOptions options;
  options.predictions_bucket = *predictions_bucket;
  server::ScoreLambdaHandler handler(store, models, SystemClock::Get(), options);
  log::Info("lambda_score_ready", {{"model_version", models.state().version}, {"region", backends->info.region}});
  Status st = runtime->Run([&](const aws::Invocation& inv) { return handler.Handle(inv.payload); });
  if (!st.ok()) {
    log::Error("lambda_runtime_exit", {{"error", st.ToString()}});
    return 1;
  }
  return 0;
}
