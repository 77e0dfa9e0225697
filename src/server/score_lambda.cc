#include "server/score_lambda.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/log.h"
#include "common/time_util.h"
#include "delivery/firehose_records.h"
#include "server/predict_request.h"
#include "server/scoring_invoker.h"

namespace brewline::server {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string HttpResponse(int status, const std::string& body) {
  Json r;
  r["statusCode"] = status;
  r["headers"] = {{"content-type", "application/json"}};
  r["body"] = body;
  r["isBase64Encoded"] = false;
  return r.dump();
}

}  // namespace

Result<std::string> ScoreLambdaHandler::Handle(std::string_view event_json) {
  Json event = Json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded() || !event.is_object()) return InvalidArgument("the event is not a JSON object");
  if (event.contains("Records")) return HandleKinesis(&event);
  if (event.contains("requestContext")) return HandleHttp(&event);
  return InvalidArgument("unknown event: neither a Kinesis batch (Records) nor a function URL request");
}

Result<std::string> ScoreLambdaHandler::HandleKinesis(const void* raw) {
  const Json& event = *static_cast<const Json*>(raw);
  const Json& records = event["Records"];
  if (!records.is_array()) return InvalidArgument("'Records' is not an array");
  models_.MaybeRefresh(std::chrono::seconds(5));
  std::shared_ptr<const ml::IbuClassifier> model = models_.current();
  Json failures = Json::array();
  if (!model) {
    // No model yet: fail every record so that Lambda retries the batch (the stream keeps it 24 h).
    for (const Json& r : records) failures.push_back({{"itemIdentifier", Str(r.value("kinesis", Json::object()), "sequenceNumber")}});
    log::Warn("score.waiting_for_model", {{"records", static_cast<unsigned long>(records.size())}});
    return Json{{"batchItemFailures", failures}}.dump();
  }
  // Re-shape as the Firehose transformation event the local scorer consumes, so both score identically.
  std::string firehose = "{\"records\":[";
  std::string shard, first_seq, last_seq;
  int64_t oldest_ms = 0;
  std::vector<std::string> raw_data;
  for (size_t i = 0; i < records.size(); ++i) {
    const Json& r = records[i];
    const Json k = r.value("kinesis", Json::object());
    const std::string seq = Str(k, "sequenceNumber");
    const std::string event_id = Str(r, "eventID");  // "shardId-000000000000:<sequence>"
    const std::string this_shard = event_id.substr(0, event_id.find(':'));
    const int64_t arrival_ms = k.contains("approximateArrivalTimestamp") && k["approximateArrivalTimestamp"].is_number()
                                   ? static_cast<int64_t>(std::llround(k["approximateArrivalTimestamp"].get<double>() * 1000))
                                   : clock_.NowMillis();
    if (i == 0) {
      shard = this_shard;
      first_seq = seq;
      oldest_ms = arrival_ms;
    }
    last_seq = seq;
    oldest_ms = std::min(oldest_ms, arrival_ms);
    if (i) firehose += ",";
    firehose += Json{{"recordId", seq},
                     {"approximateArrivalTimestamp", arrival_ms},
                     {"data", Str(k, "data")},
                     {"kinesisRecordMetadata", {{"shardId", this_shard}, {"sequenceNumber", seq}}}}
                    .dump();
    raw_data.push_back(Str(k, "data"));
  }
  firehose += "]}";
  ASSIGN_OR_RETURN(std::string response, ScoreFirehoseEvent(*model, firehose, parser_));
  Json scored = Json::parse(response);
  std::string lines, errors;
  size_t i = 0;
  for (const Json& r : scored["records"]) {
    const std::string data64 = Str(r, "data");
    if (Str(r, "result") == "Ok") {
      auto line = Base64Decode(data64);
      if (line.ok()) lines += *line;
    } else {
      auto bytes = Base64Decode(data64);
      delivery::ErrorRecord e;
      e.arrival_ms = oldest_ms;
      e.error_code = delivery::kErrorProcessingFailed;
      e.error_message = "the record is not a Punk API beer";
      e.attempt_ending_ms = clock_.NowMillis();
      std::string keep = bytes.ok() ? *bytes : raw_data[i];
      e.raw_data = keep;
      e.lambda_arn = "score";
      delivery::AppendErrorRecordLine(&errors, e);
    }
    ++i;
  }
  // Firehose's layout (YYYY/MM/dd/HH/ of the oldest record), with a name fixed by the batch: retries overwrite.
  const UtcTime t = ToUtc(oldest_ms);
  char hour[32];
  std::snprintf(hour, sizeof hour, "%04d/%02d/%02d/%02d/", t.year, t.month, t.day, t.hour);
  const std::string name = "brewline-score-1-" + shard + "-" + first_seq + "-" + last_seq;
  if (!lines.empty()) RETURN_IF_ERROR(store_.Put(options_.predictions_bucket, hour + name, lines));
  if (!errors.empty()) {
    RETURN_IF_ERROR(store_.Put(options_.predictions_bucket, "processing-failed/" + std::string(hour) + name, errors));
  }
  log::Info("score.batch", {{"records", static_cast<unsigned long>(records.size())}, {"model_version", model->version()}});
  return Json{{"batchItemFailures", failures}}.dump();
}

std::string ScoreLambdaHandler::HandleHttp(const void* raw) {
  const Json& event = *static_cast<const Json*>(raw);
  const Json http = event["requestContext"].value("http", Json::object());
  const std::string method = Str(http, "method");
  const std::string path = Str(http, "path");
  if (path != "/v1/predict") return HttpResponse(404, ErrorJson(404, "", "no such resource: " + path));
  if (method != "POST") return HttpResponse(405, ErrorJson(405, "", "method " + method + " is not allowed; allowed: POST"));
  std::string body = Str(event, "body");
  if (event.value("isBase64Encoded", false)) {
    auto decoded = Base64Decode(body);
    if (!decoded.ok()) return HttpResponse(400, ErrorJson(400, "", "the body is not valid base64"));
    body = std::move(*decoded);
  }
  if (body.size() > 1024 * 1024) return HttpResponse(413, ErrorJson(413, "", "the body is larger than 1 MiB"));
  std::string content_type;
  if (auto h = event.find("headers"); h != event.end() && h->is_object()) {
    for (auto it = h->begin(); it != h->end(); ++it) {
      std::string k = it.key();
      for (char& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (k == "content-type" && it->is_string()) content_type = it->get<std::string>();
    }
  }
  models_.MaybeRefresh(std::chrono::seconds(5));
  auto model = models_.current();
  PredictReply reply = HandlePredict(model.get(), content_type, body, options_.max_batch);
  return HttpResponse(reply.status, reply.body);
}

}  // namespace brewline::server
