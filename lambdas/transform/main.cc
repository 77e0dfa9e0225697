// The transform Lambda: the Firehose data-transformation handler of the `cleaned` delivery stream, i.e. the
// very function the local delivery calls in process (delivery/transform.h), behind the Runtime API loop.
#include <memory>

#include "aws/lambda_runtime.h"
#include "delivery/transform.h"

int main() {
  using namespace brewline;
  return aws::RunLambdaBootstrap([](const aws::EnvLookup&) -> Result<aws::LambdaHandler> {
    auto transformer = std::make_shared<delivery::FirehoseTransformer>();  // reused across invocations (warm starts)
    return aws::LambdaHandler([transformer](const aws::Invocation& inv) -> Result<std::string> {
      std::string response;
      RETURN_IF_ERROR(transformer->Transform(inv.payload, &response));
      return response;
    });
  });
}
