#include "cli/commands.h"

namespace brewline::cli {

void RegisterPipelineCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
