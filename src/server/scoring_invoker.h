// The scorer's "transformation function": it receives the Firehose transformation event the delivery engine
// builds from stream records (shared/docs/aws-contracts.md) and answers, for every record, one prediction line
// (server/prediction_record.h) — so the scorer reuses the delivery machinery's buffering, object naming,
// checkpoints and exactly-once commit unchanged.
//   - a valid Punk API beer → "Ok" with its prediction line (or a line with "error" when the model cannot score
//     it, e.g. every measure missing), made by the model current at the call;
//   - anything else (not a beer) → "ProcessingFailed", data unchanged, which the delivery writes to the error
//     output (processing-failed/…) of bucket `predictions`;
//   - no model loaded → the invocation fails (FailedPrecondition) and the delivery retries; the Scorer never
//     polls without a model, so this only guards a race.
// Not thread-safe (the delivery calls it from one thread); the holder must outlive it.
#pragma once

#include <string>
#include <string_view>

#include "beer/beer.h"
#include "delivery/transform_invoker.h"
#include "ml/ibu_classifier.h"
#include "server/model_holder.h"

namespace brewline::server {

// Scores every record of a transformation event with `model`; returns the response JSON.
Result<std::string> ScoreFirehoseEvent(const ml::IbuClassifier& model, std::string_view event_json,
                                       beer::BeerParser& parser);

class ScoringInvoker final : public delivery::TransformInvoker {
 public:
  explicit ScoringInvoker(ModelHolder& models) : models_(models) {}
  Result<std::string> Invoke(std::string_view event_json) override;

 private:
  ModelHolder& models_;
  beer::BeerParser parser_;
};

}  // namespace brewline::server
