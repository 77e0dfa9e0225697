// The Scheduled Event payload exactly as an EventBridge rule delivers it to a Lambda target, so the same job
// code runs behind the local scheduler and behind EventBridge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::schedule {

struct ScheduledEventOptions {
  std::string rule_name = "brewline-ingest";
  std::string account = "000000000000";
  std::string region = "us-east-1";
};

// The rule ARN: arn:aws:events:<region>:<account>:rule/<name>.
std::string RuleArn(const ScheduledEventOptions& options);

// {"version":"0","id":"<id>","detail-type":"Scheduled Event","source":"aws.events","account":"…",
//  "time":"2015-10-08T16:53:06Z","region":"…","resources":["<rule arn>"],"detail":{}}
// `time_ms` is the scheduled time (formatted to whole seconds, as EventBridge does).
std::string BuildScheduledEvent(const ScheduledEventOptions& options, int64_t time_ms, std::string_view id);

// The parts of a Scheduled Event a job reads. Parse accepts any object with detail-type "Scheduled Event"
// and a parseable "time"; anything else is InvalidArgument.
struct ScheduledEvent {
  std::string id;
  int64_t time_ms = 0;
  std::string account;
  std::string region;
  std::string rule_arn;  // resources[0], "" when absent
};
Result<ScheduledEvent> ParseScheduledEvent(std::string_view json);

}  // namespace brewline::schedule
