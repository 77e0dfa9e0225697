// Each subsystem registers its subcommands here; main.cc calls every function once.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

namespace brewline::cli {

void RegisterPunkApiCommands(CLI::App& app, CliContext& ctx);   // punkapi serve|fetch
void RegisterStreamCommands(CLI::App& app, CliContext& ctx);    // stream …
void RegisterDeliveryCommands(CLI::App& app, CliContext& ctx);  // deliver, bucket …, transform
void RegisterScheduleCommands(CLI::App& app, CliContext& ctx);  // schedule next
void RegisterPipelineCommands(CLI::App& app, CliContext& ctx);  // run, ingest, status, config
void RegisterTableCommands(CLI::App& app, CliContext& ctx);     // table …, sql
void RegisterModelCommands(CLI::App& app, CliContext& ctx);     // model …
void RegisterServeCommands(CLI::App& app, CliContext& ctx);     // serve

}  // namespace brewline::cli
