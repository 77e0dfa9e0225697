// The transform Lambda: the Firehose data-transformation handler of the `cleaned` delivery stream, i.e. the
// very function the local delivery calls in process (delivery/transform.h), behind the Runtime API loop.
#include <cstdio>

#include "aws/lambda_runtime.h"
#include "common/log.h"
#include "delivery/transform.h"

int main() {
  using namespace brewline;
  log::Configure(log::Level::kInfo, log::Format::kJson);  // CloudWatch Logs: one JSON object per line
  auto runtime = aws::LambdaRuntimeClient::FromEnvironment(aws::ProcessEnv());
  if (!runtime.ok()) {
    std::fprintf(stderr, "error: %s\n", runtime.status().ToString().c_str());
    return 1;
  }
  delivery::FirehoseTransformer transformer;  // reused across invocations (warm starts)
  Status st = runtime->Run([&](const aws::Invocation& inv) -> Result<std::string> {
    std::string response;
    RETURN_IF_ERROR(transformer.Transform(inv.payload, &response));
    return response;
  });
  if (!st.ok()) {
    log::Error("lambda_runtime_exit", {{"error", st.ToString()}});
    return 1;
  }
  return 0;
}
