#include "ml/model_registry.h"

#include <algorithm>
#include <charconv>

namespace brewline::ml {
namespace {

// "v12" → 12; -1 if not a version name.
int ParseVersion(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '/' || s.back() == '\r' || s.back() == ' ')) s.remove_suffix(1);
  if (s.size() < 2 || s[0] != 'v') return -1;
  int v = -1;
  auto res = std::from_chars(s.data() + 1, s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || v < 1) return -1;
  return v;
}

}  // namespace

std::string ModelRegistry::VersionPrefix(int version) {
  return std::string(kModelPrefix) + "v" + std::to_string(version) + "/";
}

Result<std::vector<int>> ModelRegistry::ListVersions() {
  std::vector<int> versions;
  store::ListOptions options;
  options.prefix = kModelPrefix;
  while (true) {
    auto page = store_.List(kModelsBucket, options);
    if (!page.ok()) {
      if (page.status().code() == StatusCode::kNotFound) return versions;  // no bucket yet
      return page.status();
    }
    for (const auto& obj : page->objects) {
      std::string_view rest = std::string_view(obj.key).substr(options.prefix.size());
      const size_t slash = rest.find('/');
      if (slash == std::string_view::npos || rest.substr(slash + 1) != "metadata.json") continue;
      const int v = ParseVersion(rest.substr(0, slash));
      if (v > 0) versions.push_back(v);
    }
    if (!page->is_truncated) break;
    options.continuation_token = page->next_continuation_token;
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

Result<int> ModelRegistry::LatestVersion() {
  auto pointer = store_.Get(kModelsBucket, std::string(kModelPrefix) + "latest");
  if (!pointer.ok()) {
    if (pointer.status().code() == StatusCode::kNotFound) {
      return NotFound("no model in bucket 'models'; run `brewline model train` first");
    }
    return pointer.status();
  }
  const int v = ParseVersion(*pointer);
  if (v < 1) return Corruption("models/ibu-classifier/latest does not name a version (want 'v<N>')");
  return v;
}

Result<std::string> ModelRegistry::GetModelJson(int version) {
  auto r = store_.Get(kModelsBucket, VersionPrefix(version) + "model.json");
  if (!r.ok() && r.status().code() == StatusCode::kNotFound) {
    return NotFound("model version v" + std::to_string(version) + " does not exist");
  }
  return r;
}

Result<std::string> ModelRegistry::GetMetadataJson(int version) {
  auto r = store_.Get(kModelsBucket, VersionPrefix(version) + "metadata.json");
  if (!r.ok() && r.status().code() == StatusCode::kNotFound) {
    return NotFound("model version v" + std::to_string(version) + " has no metadata.json");
  }
  return r;
}

Result<std::string> ModelRegistry::GetForestJson(int version) {
  auto r = store_.Get(kModelsBucket, VersionPrefix(version) + "forest.json");
  if (!r.ok() && r.status().code() == StatusCode::kNotFound) {
    return NotFound("model version v" + std::to_string(version) + " names a forest but has no forest.json");
  }
  return r;
}

Result<int> ModelRegistry::Publish(const std::string& model_json, ModelMetadata* metadata,
                                   const std::string& forest_json) {
  ASSIGN_OR_RETURN(std::vector<int> versions, ListVersions());
  int next = versions.empty() ? 1 : versions.back() + 1;
  auto latest = LatestVersion();
  if (latest.ok()) next = std::max(next, *latest + 1);
  metadata->version = next;
  metadata->model_sha256 = Sha256Hex(model_json);
  metadata->forest_sha256 = forest_json.empty() ? "" : Sha256Hex(forest_json);
  const std::string prefix = VersionPrefix(next);
  RETURN_IF_ERROR(store_.Put(kModelsBucket, prefix + "model.json", model_json));
  if (!forest_json.empty()) RETURN_IF_ERROR(store_.Put(kModelsBucket, prefix + "forest.json", forest_json));
  RETURN_IF_ERROR(store_.Put(kModelsBucket, prefix + "metadata.json", MetadataToJson(*metadata)));
  RETURN_IF_ERROR(store_.Put(kModelsBucket, std::string(kModelPrefix) + "latest", "v" + std::to_string(next) + "\n"));
  return next;
}

}  // namespace brewline::ml
