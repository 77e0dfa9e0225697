// The score Lambda's handler (lambdas/score; infra/terraform/lambda.tf): one function, two event shapes.
//   - a Kinesis batch from the event source mapping ({"Records":[{"eventSource":"aws:kinesis",…}]}): every
//     record is scored exactly as the local scorer does (server::ScoreFirehoseEvent), the prediction lines go
//     into ONE object of the predictions bucket whose key is derived from the batch (shard, first and last
//     sequence number), so a retried batch overwrites the same object instead of duplicating it; records that
//     are not beers go to processing-failed/. Returns {"batchItemFailures":[]} (partial-batch responses), or
//     every record as failed while no model exists, so Lambda retries the batch later.
//   - a function URL request ({"requestContext":{"http":…}}): POST /v1/predict answered as `brewline serve`
//     does (server::HandlePredict); other paths 404, other methods 405.
// Not thread-safe (Lambda runs one invocation at a time per process). The store and holder must outlive it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "beer/beer.h"
#include "common/clock.h"
#include "common/result.h"
#include "server/model_holder.h"
#include "store/object_store.h"

namespace brewline::server {

struct ScoreLambdaOptions {
  std::string predictions_bucket = "predictions";
  size_t max_batch = 1000;
};

class ScoreLambdaHandler {
 public:
  ScoreLambdaHandler(store::ObjectStore& store, ModelHolder& models, Clock& clock, ScoreLambdaOptions options = {})
      : store_(store), models_(models), clock_(clock), options_(std::move(options)) {}

  // The invocation's response JSON, or an error for an event of neither shape / a failed store write.
  Result<std::string> Handle(std::string_view event_json);

 private:
  Result<std::string> HandleKinesis(const void* event);
  std::string HandleHttp(const void* event);

  store::ObjectStore& store_;
  ModelHolder& models_;
  Clock& clock_;
  ScoreLambdaOptions options_;
  beer::BeerParser parser_;
};

}  // namespace brewline::server
