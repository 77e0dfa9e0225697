// POST /v1/predict bodies. Accepted shapes (application/json):
//   one beer:  {"abv":5.2,"target_og":1050,…}          → one prediction object
//   a batch:   [{…},{…}]  or  {"beers":[{…},{…}]}       → {"model_version":N,"predictions":[…]}
// A beer is a Punk API v2 beer or just the cleaned fields: abv, ibu, target_fg, target_og, ebc, srm, ph (each a
// number or null, absent = null), optional id (integer ≥ 1) and name (string); other keys (a Punk API beer's
// description, method, …) are ignored. At least one measured feature must be present.
// Errors name the field, e.g. field "beers[3].abv": "expected a number or null, got string".
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "beer/beer.h"
#include "ml/ibu_classifier.h"

namespace brewline::server {

struct RequestError {
  std::string field;    // "" when the body as a whole is wrong
  std::string message;
};

struct PredictRequest {
  bool batch = false;
  std::vector<beer::CleanedBeer> beers;
  std::vector<bool> has_id;  // per beer: whether the request named an id / a name
  std::vector<bool> has_name;
};

// Parses and validates a body. `max_batch` bounds the number of beers in a batch (an error names "beers").
std::optional<RequestError> ParsePredictRequest(std::string_view body, size_t max_batch, PredictRequest* out);

// Appends one prediction as the API returns it:
// {"id"?,"name"?,"band":2,"range":"[40,60)","low":40,"high":60|null,"probabilities":{"[0,20)":0.01,…},
//  "model_version":3}
void AppendPredictionJson(std::string* out, const ml::Bands& bands, const ml::Prediction& p,
                          const beer::CleanedBeer& beer, bool with_id, bool with_name);

// A whole POST /v1/predict exchange without the transport, shared by the HTTP server and the score Lambda's
// function URL: checks the content type (415), parses (400 naming the field), predicts with `model` (503 when
// null). `status` is the HTTP status; `body` is JSON ending in "\n".
struct PredictReply {
  int status = 200;
  std::string body;
  size_t predictions = 0;
};
PredictReply HandlePredict(const ml::IbuClassifier* model, std::string_view content_type, std::string_view body,
                           size_t max_batch, std::string_view no_model_message = "no model yet");
bool IsJsonContentType(std::string_view value);

// {"error":{"status":400,"field":"abv","message":"…"}}
std::string ErrorJson(int status, std::string_view field, std::string_view message);

}  // namespace brewline::server
