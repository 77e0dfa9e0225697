#include "cli/commands.h"

namespace brewline::cli {

void RegisterModelCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
