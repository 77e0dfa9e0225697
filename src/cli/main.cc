// brewline: the command-line entry point. Thin: parsing and dispatch only.
#include <cstdio>
#include <exception>
#include <string>

#include "cli/commands.h"
#include "common/log.h"

int main(int argc, char** argv) {
  using namespace brewline::cli;
  CLI::App app{"brewline: a streaming beer data platform (Punk API → stream → buckets → table → model)", "brewline"};
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", "brewline 0.1.0");
  std::string log_level = "info";
  std::string log_format = "text";
  app.add_option("--log-level", log_level, "debug|info|warn|error")->check(CLI::IsMember({"debug", "info", "warn", "error"}));
  app.add_option("--log-format", log_format, "text|json")->check(CLI::IsMember({"text", "json"}));
  app.parse_complete_callback([&] {
    brewline::log::Level level;
    brewline::log::Format format;
    if (brewline::log::ParseLevel(log_level, &level) && brewline::log::ParseFormat(log_format, &format)) {
      brewline::log::Configure(level, format);
    }
  });

  CliContext ctx;
  RegisterPunkApiCommands(app, ctx);
  RegisterStreamCommands(app, ctx);
  RegisterDeliveryCommands(app, ctx);
  RegisterScheduleCommands(app, ctx);
  RegisterPipelineCommands(app, ctx);
  RegisterTableCommands(app, ctx);
  RegisterModelCommands(app, ctx);
  RegisterServeCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    std::puts("brewline 0.1.0");
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (msg.empty()) msg = "invalid command line";
    std::fprintf(stderr, "error: %s (see --help)\n", msg.c_str());
    return kExitUsage;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return kExitFailure;
  }
  return ctx.exit_code;
}
