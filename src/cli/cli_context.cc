#include "cli/cli_context.h"

#include <cstdio>
#include <cstdlib>

namespace brewline::cli {

CLI::Option* AddDataDirOption(CLI::App* app, std::string* data_dir) {
  const char* env = std::getenv("BREWLINE_DATA_DIR");
  *data_dir = (env != nullptr && *env != '\0') ? env : "./brewline-data";
  return app->add_option("--data-dir", *data_dir, "data directory (env BREWLINE_DATA_DIR)")->capture_default_str();
}

int ReportError(const Status& status) {
  std::fprintf(stderr, "error: %s\n", status.message().c_str());
  return kExitFailure;
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return kExitUsage;
}

}  // namespace brewline::cli
