// Shared plumbing for subcommands: the data-dir option, exit codes and one-line errors.
// Exit codes: 0 success, 1 runtime failure, 2 usage error.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "common/status.h"

namespace brewline::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Filled in by the chosen subcommand's callback; main returns it.
struct CliContext {
  int exit_code = kExitOk;
};

// Adds --data-dir (default ./brewline-data, or $BREWLINE_DATA_DIR) to a subcommand.
CLI::Option* AddDataDirOption(CLI::App* app, std::string* data_dir);

// Prints "error: <message>" on stderr and returns kExitFailure.
int ReportError(const Status& status);
// Prints "error: <message>" on stderr and returns kExitUsage.
int UsageError(const std::string& message);

}  // namespace brewline::cli
