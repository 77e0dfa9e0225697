#include "cli/commands.h"

namespace brewline::cli {

void RegisterTableCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
