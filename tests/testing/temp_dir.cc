#include "testing/temp_dir.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

namespace brewline::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/brewline-test-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string SourceDir() {
  const char* v = std::getenv("BREWLINE_SOURCE_DIR");
  return v && *v ? v : ".";
}

std::string BinaryDir() {
  const char* v = std::getenv("BREWLINE_BINARY_DIR");
  return v && *v ? v : ".";
}

std::string BrewlineBinary() { return BinaryDir() + "/brewline"; }

}  // namespace brewline::testing
