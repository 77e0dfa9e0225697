// The model registry in bucket `models`:
//   ibu-classifier/v<N>/model.json     XGBoost JSON model
//   ibu-classifier/v<N>/forest.json    the ExtraTrees half of the blend (ml/extra_trees.h), when the model has one
//   ibu-classifier/v<N>/metadata.json  see model_metadata.h
//   ibu-classifier/latest              "v<N>\n"
// Publish writes model (and forest), then metadata, then the pointer, each atomically (ObjectStore::Put), so a crash leaves
// either the old `latest` or a complete new version; a version without metadata.json is ignored by List.
// Thread-safe as the ObjectStore is; two concurrent Publish calls may race for the same N (the second
// overwrites): serialise training per data dir.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "ml/model_metadata.h"
#include "store/object_store.h"

namespace brewline::ml {

inline constexpr char kModelsBucket[] = "models";
inline constexpr char kModelPrefix[] = "ibu-classifier/";

class ModelRegistry {
 public:
  // `store` must outlive the registry.
  explicit ModelRegistry(store::ObjectStore& store) : store_(store) {}

  // Assigns the next version to *metadata (version, model_sha256, forest_sha256), stores the files and moves
  // `latest`. `forest_json` empty = a boosted-only model.
  Result<int> Publish(const std::string& model_json, ModelMetadata* metadata, const std::string& forest_json = "");
  // Versions with a metadata.json, ascending.
  Result<std::vector<int>> ListVersions();
  // The version `latest` points to (NotFound when no model was published).
  Result<int> LatestVersion();
  // Raw files of a version (NotFound when absent).
  Result<std::string> GetModelJson(int version);
  Result<std::string> GetMetadataJson(int version);
  Result<std::string> GetForestJson(int version);

  static std::string VersionPrefix(int version);

 private:
  store::ObjectStore& store_;
};

}  // namespace brewline::ml
