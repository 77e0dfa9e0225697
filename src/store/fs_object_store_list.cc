// FsObjectStore::List: S3 ListObjectsV2 semantics over a directory tree. The walk is pruned by the prefix,
// then every candidate key is sorted by bytes (a directory walk orders "a-b" and "a/b" differently from S3).
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/base64.h"
#include "store/fs_object_store.h"
#include "store/key_rules.h"

namespace brewline::store {

namespace {

struct Candidate {
  std::string key;
  std::string path;
  uint64_t size;
  int64_t mtime_ns;
};

// Collects files under `dir` (whose key prefix is `dir_key`, "" or ending in '/') whose key starts with
// `prefix`; descends only into folders that can hold such keys.
Status Walk(FileSystem& fs, const std::string& dir, const std::string& dir_key, const std::string& prefix,
            std::vector<Candidate>* out) {
  auto names = fs.ListDir(dir);
  if (!names.ok()) {
    if (names.status().code() == StatusCode::kNotFound) return Status::OK();  // pruned concurrently
    return names.status();
  }
  for (const std::string& name : *names) {
    std::string key = dir_key + name;
    std::string path = JoinPath(dir, name);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) continue;  // deleted meanwhile
    if (S_ISDIR(st.st_mode)) {
      std::string folder = key + "/";
      bool may_match = folder.size() >= prefix.size() ? folder.compare(0, prefix.size(), prefix) == 0
                                                      : prefix.compare(0, folder.size(), folder) == 0;
      if (may_match) RETURN_IF_ERROR(Walk(fs, path, folder, prefix, out));
    } else if (S_ISREG(st.st_mode) && key.compare(0, prefix.size(), prefix) == 0) {
      out->push_back(Candidate{std::move(key), std::move(path), static_cast<uint64_t>(st.st_size),
                               static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
    }
  }
  return Status::OK();
}

}  // namespace

Result<ListPage> FsObjectStore::List(const std::string& bucket, const ListOptions& options) {
  RETURN_IF_ERROR(ValidateBucketName(bucket));
  if (options.max_keys < 0) return InvalidArgument("max-keys must be between 0 and 1000");
  const size_t max_keys = static_cast<size_t>(std::min(options.max_keys, 1000));
  // The continuation token is the last key or common prefix returned, tagged with which it was.
  std::string resume_after = options.start_after;
  bool resume_is_prefix = false;
  if (!options.continuation_token.empty()) {
    auto decoded = Base64Decode(options.continuation_token);
    if (!decoded.ok() || decoded->empty() || ((*decoded)[0] != 'K' && (*decoded)[0] != 'P')) {
      return InvalidArgument("the continuation token is not valid", "InvalidArgument");
    }
    resume_is_prefix = (*decoded)[0] == 'P';
    resume_after = decoded->substr(1);
  }

  const std::string bucket_dir = JoinPath(root_, bucket);
  const std::string& prefix = options.prefix;
  size_t slash = prefix.rfind('/');
  std::string start_key = slash == std::string::npos ? "" : prefix.substr(0, slash + 1);
  std::vector<Candidate> candidates;
  // A prefix whose folder part is not a valid key path (e.g. contains "..") can match nothing stored.
  if (start_key.empty() || ValidateKeyForFilesystem(start_key.substr(0, start_key.size() - 1)).ok()) {
    std::string start_dir = start_key.empty() ? bucket_dir : JoinPath(bucket_dir, start_key.substr(0, start_key.size() - 1));
    RETURN_IF_ERROR(Walk(fs_, start_dir, start_key, prefix, &candidates));
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.key < b.key; });

  ListPage page;
  if (max_keys == 0) return page;
  std::string last_emitted;
  bool last_was_prefix = false;
  size_t emitted = 0;
  for (const Candidate& c : candidates) {
    if (!resume_after.empty()) {
      if (c.key <= resume_after) continue;
      if (resume_is_prefix && c.key.compare(0, resume_after.size(), resume_after) == 0) continue;
    }
    // Roll keys under the delimiter into one common prefix.
    std::string common;
    if (!options.delimiter.empty()) {
      size_t d = c.key.find(options.delimiter, prefix.size());
      if (d != std::string::npos) common = c.key.substr(0, d + options.delimiter.size());
    }
    if (!common.empty() && last_was_prefix && common == last_emitted) continue;
    if (emitted == max_keys) {
      page.is_truncated = true;
      break;
    }
    if (!common.empty()) {
      page.common_prefixes.push_back(common);
      last_emitted = common;
      last_was_prefix = true;
    } else {
      ObjectInfo info;
      info.key = c.key;
      info.size = c.size;
      info.last_modified_ms = c.mtime_ns / 1000000;
      auto etag = EtagFor(c.path, c.size, c.mtime_ns);
      if (!etag.ok()) {
        if (etag.status().code() == StatusCode::kNotFound) continue;  // deleted meanwhile
        return etag.status();
      }
      info.etag = std::move(*etag);
      page.objects.push_back(std::move(info));
      last_emitted = c.key;
      last_was_prefix = false;
    }
    ++emitted;
  }
  if (page.is_truncated) page.next_continuation_token = Base64Encode((last_was_prefix ? "P" : "K") + last_emitted);
  return page;
}

}  // namespace brewline::store
