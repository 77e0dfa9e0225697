#include "schedule/scheduled_event.h"

#include <nlohmann/json.hpp>

#include "common/json_escape.h"
#include "common/time_util.h"

namespace brewline::schedule {

std::string RuleArn(const ScheduledEventOptions& options) {
  return "arn:aws:events:" + options.region + ":" + options.account + ":rule/" + options.rule_name;
}

std::string BuildScheduledEvent(const ScheduledEventOptions& options, int64_t time_ms, std::string_view id) {
  // Hand-written to keep EventBridge's key order.
  std::string out = "{\"version\":\"0\",\"id\":";
  AppendJsonString(&out, id);
  out += ",\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"account\":";
  AppendJsonString(&out, options.account);
  out += ",\"time\":";
  AppendJsonString(&out, FormatIso8601(time_ms));
  out += ",\"region\":";
  AppendJsonString(&out, options.region);
  out += ",\"resources\":[";
  AppendJsonString(&out, RuleArn(options));
  out += "],\"detail\":{}}";
  return out;
}

Result<ScheduledEvent> ParseScheduledEvent(std::string_view json) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return InvalidArgument("scheduled event: not a JSON object");
  auto str = [&](const char* key) -> std::string {
    auto it = doc.find(key);
    return (it != doc.end() && it->is_string()) ? it->get<std::string>() : std::string();
  };
  if (str("detail-type") != "Scheduled Event") {
    return InvalidArgument("scheduled event: detail-type is not \"Scheduled Event\"");
  }
  ScheduledEvent ev;
  ev.id = str("id");
  ev.account = str("account");
  ev.region = str("region");
  auto time = ParseIso8601(str("time"));
  if (!time.ok()) return InvalidArgument("scheduled event: " + time.status().message());
  ev.time_ms = *time;
  auto res = doc.find("resources");
  if (res != doc.end() && res->is_array() && !res->empty() && (*res)[0].is_string()) {
    ev.rule_arn = (*res)[0].get<std::string>();
  }
  return ev;
}

}  // namespace brewline::schedule
