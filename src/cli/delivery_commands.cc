#include "cli/commands.h"

namespace brewline::cli {

void RegisterDeliveryCommands(CLI::App& /*app*/, CliContext& /*ctx*/) {}

}  // namespace brewline::cli
