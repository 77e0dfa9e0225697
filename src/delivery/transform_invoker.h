// TransformInvoker: how a delivery calls its transformation function (Firehose's Lambda processor). The
// in-process invoker runs delivery/transform.h directly; an AWS Lambda invoker can implement the same interface.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "delivery/transform.h"

namespace brewline::delivery {

class TransformInvoker {
 public:
  virtual ~TransformInvoker() = default;
  // Invokes the function synchronously with a transformation event; returns the response body, or an error
  // for a failed invocation (the delivery retries it NumberOfRetries times). Called from one thread at a time.
  virtual Result<std::string> Invoke(std::string_view event_json) = 0;
};

// The brewline transform, called in process. Not thread-safe (one per delivery).
class InProcessTransformInvoker final : public TransformInvoker {
 public:
  Result<std::string> Invoke(std::string_view event_json) override {
    std::string response;
    RETURN_IF_ERROR(transformer_.Transform(event_json, &response));
    return response;
  }

 private:
  FirehoseTransformer transformer_;
};

}  // namespace brewline::delivery
