#include "cli/commands.h"

namespace brewline::cli {

void RegisterServeCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
