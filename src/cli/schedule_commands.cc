#include "cli/commands.h"

namespace brewline::cli {

void RegisterScheduleCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
