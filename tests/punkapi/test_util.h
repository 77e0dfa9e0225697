// Shared helpers for the punkapi tests.
#pragma once

#include <memory>
#include <string>

#include "common/file_system.h"
#include "punkapi/dataset.h"
#include "testing/temp_dir.h"

namespace brewline::punkapi::test {

inline std::string DatasetPath() {
  return brewline::testing::SourceDir() + "/.cache/npm/node_modules/punkapi-db/data.json";
}

// The real punkapi-db dataset, loaded once per test binary.
inline std::shared_ptr<const Dataset> RealDataset() {
  static std::shared_ptr<const Dataset> ds = [] {
    auto loaded = Dataset::Load(PosixFileSystem::Get(), DatasetPath());
    return loaded.ok() ? std::make_shared<const Dataset>(std::move(loaded).value()) : nullptr;
  }();
  return ds;
}

}  // namespace brewline::punkapi::test
