// A fresh directory under $TMPDIR (or /tmp) removed with its contents on destruction.
#pragma once

#include <string>

namespace brewline::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// $BREWLINE_SOURCE_DIR / $BREWLINE_BINARY_DIR as set by CTest (falling back to "." ).
std::string SourceDir();
std::string BinaryDir();
// Path of the built CLI (BinaryDir()/brewline).
std::string BrewlineBinary();

}  // namespace brewline::testing
