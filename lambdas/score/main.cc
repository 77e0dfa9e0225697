// The score Lambda: the model in the stream on AWS. A Kinesis event source mapping makes it a third consumer of
// the stream (predictions → the predictions bucket); its function URL serves POST /v1/predict. The handler is
// server::ScoreLambdaHandler, the same scoring code as the local scorer and `brewline serve`.
//
// Environment (infra/terraform/lambda.tf): BREWLINE_MODELS_BUCKET, BREWLINE_PREDICTIONS_BUCKET; AWS_REGION and
// credentials from Lambda; AWS_ENDPOINT_URL(_S3) redirect S3 (local testing). The model registry's bucket name
// "models" is mapped onto BREWLINE_MODELS_BUCKET.
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

// What the handler keeps across warm invocations (the handler and the holder refer to the store).
struct Score {
  aws::AwsBackends backends;
  std::unique_ptr<RenamedBucketStore> store;
  std::unique_ptr<server::ModelHolder> models;
  std::unique_ptr<server::ScoreLambdaHandler> handler;
};

Result<aws::LambdaHandler> Init(const aws::EnvLookup& env) {
  auto models_bucket = env("BREWLINE_MODELS_BUCKET");
  auto predictions_bucket = env("BREWLINE_PREDICTIONS_BUCKET");
  if (!models_bucket || models_bucket->empty() || !predictions_bucket || predictions_bucket->empty()) {
    return InvalidArgument("BREWLINE_MODELS_BUCKET and BREWLINE_PREDICTIONS_BUCKET must be set");
  }
  auto score = std::make_shared<Score>();
  ASSIGN_OR_RETURN(score->backends,
                   aws::MakeAwsBackends(aws::AwsBackendConfig{}, env, PosixFileSystem::Get(), SystemClock::Get()));
  score->store = std::make_unique<RenamedBucketStore>(*score->backends.store, *models_bucket);
  score->models = std::make_unique<server::ModelHolder>(*score->store, SystemClock::Get());
  if (Status st = score->models->Refresh(); !st.ok()) log::Warn("lambda_score_model", {{"error", st.ToString()}});
  server::ScoreLambdaOptions options;
  options.predictions_bucket = *predictions_bucket;
  score->handler = std::make_unique<server::ScoreLambdaHandler>(*score->store, *score->models, SystemClock::Get(),
                                                                options);
  log::Info("lambda_score_ready",
            {{"model_version", score->models->state().version}, {"region", score->backends.info.region}});
  return aws::LambdaHandler([score](const aws::Invocation& inv) { return score->handler->Handle(inv.payload); });
}

}  // namespace

int main() { return brewline::aws::RunLambdaBootstrap(Init); }
