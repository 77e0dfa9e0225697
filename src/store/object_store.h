// The ObjectStore seam: buckets of immutable objects with S3 semantics. Implemented by the local filesystem
// store (store/fs_object_store.*) and by the S3 client (aws/). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::store {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  int64_t last_modified_ms = 0;
  std::string etag;  // quoted hex MD5 as S3 returns it, where known
};

struct ListOptions {
  std::string prefix;
  std::string delimiter;           // "" (flat) or "/" (folders as common prefixes)
  std::string start_after;
  std::string continuation_token;  // from a previous ListPage
  int max_keys = 1000;             // 1–1000
};

struct ListPage {
  std::vector<ObjectInfo> objects;          // in lexicographic (byte) order of key
  std::vector<std::string> common_prefixes; // with a delimiter
  bool is_truncated = false;
  std::string next_continuation_token;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  // Creates or replaces the whole object atomically: readers see the old object or the new one.
  virtual Status Put(const std::string& bucket, const std::string& key, std::string_view data) = 0;
  virtual Result<std::string> Get(const std::string& bucket, const std::string& key) = 0;
  virtual Result<ObjectInfo> Head(const std::string& bucket, const std::string& key) = 0;
  virtual Result<ListPage> List(const std::string& bucket, const ListOptions& options) = 0;
  // Deleting a missing key succeeds, as in S3.
  virtual Status Delete(const std::string& bucket, const std::string& key) = 0;
};

}  // namespace brewline::store
