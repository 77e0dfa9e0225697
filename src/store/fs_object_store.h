// FsObjectStore: the local ObjectStore. Bucket `b`, key `k` is the file `<root>/b/k` (key segments become
// directories), so `ls -R` and `gzip -d` work on delivered objects directly.
//
// Contracts:
// - Put is atomic and durable: the bytes go to a temp file under `<root>/.tmp/` (outside every bucket, so
//   never listed), are fsynced, renamed into place, and the directory is fsynced (plus every directory the put
//   had to create). A reader sees the old object or the new one, never a part.
// - Temp files left by a crashed process are removed by the next FsObjectStore constructed over the same root
//   (only files whose writer process is gone, so a concurrent writer in another process is not disturbed).
// - Keys follow store/key_rules.h; a key that is also a "folder" of other keys ("a" and "a/b") cannot be stored
//   on a filesystem and is refused with FailedPrecondition.
// - List returns keys in byte order, as S3, whatever the directory walk order.
// - ETag is the quoted MD5 of the content; last_modified_ms is the file's mtime (read with stat(2): the
//   FileSystem seam has no mtime).
// Thread-safe; several processes may use the same root at once.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "common/file_system.h"
#include "store/object_store.h"

namespace brewline::store {

class FsObjectStore final : public ObjectStore {
 public:
  // `root_dir` holds the buckets: use BucketsDir(data_dir) for `<data-dir>/buckets`. `fs` must outlive this.
  FsObjectStore(FileSystem& fs, std::string root_dir);

  Status Put(const std::string& bucket, const std::string& key, std::string_view data) override;
  Result<std::string> Get(const std::string& bucket, const std::string& key) override;
  Result<ObjectInfo> Head(const std::string& bucket, const std::string& key) override;
  Result<ListPage> List(const std::string& bucket, const ListOptions& options) override;
  Status Delete(const std::string& bucket, const std::string& key) override;

  const std::string& root_dir() const { return root_; }
  // How many stale temp files the constructor removed (for tests and logs).
  int removed_temp_files() const { return removed_temp_files_; }

 private:
  std::string ObjectPath(const std::string& bucket, const std::string& key) const;
  std::string TempDir() const;
  void CleanStaleTempFiles();
  Status CreateParentDirsDurably(const std::string& bucket_dir, const std::string& key);
  Result<std::string> EtagFor(const std::string& path, uint64_t size, int64_t mtime_ns);
  void RememberEtag(const std::string& path, uint64_t size, int64_t mtime_ns, std::string etag);

  FileSystem& fs_;
  std::string root_;
  int removed_temp_files_ = 0;

  struct CachedEtag {
    uint64_t size;
    int64_t mtime_ns;
    std::string etag;
  };
  std::mutex mu_;
  std::map<std::string, CachedEtag> etags_;  // path → etag, valid while size and mtime match
};

// `<data-dir>/buckets`.
std::string BucketsDir(const std::string& data_dir);
// `"` + hex MD5 + `"`, as S3's ETag for a single-part upload.
std::string QuotedMd5(std::string_view data);

}  // namespace brewline::store
