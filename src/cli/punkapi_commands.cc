#include "cli/commands.h"

namespace brewline::cli {

void RegisterPunkApiCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
