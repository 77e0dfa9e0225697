// `brewline schedule next EXPR [--from ISO8601] [--count N]`: the next fire times of an EventBridge expression.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/time_util.h"
#include "schedule/schedule_expression.h"

namespace brewline::cli {
namespace {

struct NextArgs {
  std::string expression;
  std::string from;
  int count = 5;
};

int RunNext(const NextArgs& args) {
  auto expr = schedule::ScheduleExpression::Parse(args.expression);
  if (!expr.ok()) return UsageError(expr.status().message());
  int64_t from = SystemClock::Get().NowMillis();
  if (!args.from.empty()) {
    auto parsed = ParseIso8601(args.from);
    if (!parsed.ok()) return UsageError(parsed.status().message());
    from = *parsed;
  }
  // A rate counts from when the rule is created; here that is --from.
  int64_t t = from;
  for (int i = 0; i < args.count; ++i) {
    auto next = expr->NextFireTime(t, from);
    if (!next) break;
    std::printf("%s\n", FormatIso8601(*next).c_str());
    t = *next;
  }
  return kExitOk;
}

}  // namespace

void RegisterScheduleCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* schedule = app.add_subcommand("schedule", "EventBridge schedule expressions (rate(...), cron(...))");
  schedule->require_subcommand(1);
  auto args = std::make_shared<NextArgs>();
  CLI::App* next = schedule->add_subcommand(
      "next", "print the next fire times of a schedule expression (ISO 8601 UTC, one per line)");
  next->add_option("expression", args->expression, "e.g. 'rate(5 minutes)' or 'cron(0 12 ? * MON-FRI *)'")
      ->required();
  next->add_option("--from", args->from, "start after this UTC time (default: now); a rate counts from it");
  next->add_option("--count", args->count, "how many fire times")->capture_default_str()->check(CLI::Range(1, 100000));
  next->callback([args, &ctx] { ctx.exit_code = RunNext(*args); });
}

}  // namespace brewline::cli
