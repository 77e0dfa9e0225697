#include "cli/commands.h"

namespace brewline::cli {

void RegisterStreamCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
