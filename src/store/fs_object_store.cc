#include "store/fs_object_store.h"

#include <openssl/evp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <vector>

#include "common/base64.h"
#include "common/uuid.h"
#include "store/key_rules.h"

namespace brewline::store {

namespace {

constexpr const char* kTempDirName = ".tmp";

struct StatInfo {
  bool exists = false;
  bool is_dir = false;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

StatInfo StatPath(const std::string& path) {
  StatInfo info;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return info;
  info.exists = true;
  info.is_dir = S_ISDIR(st.st_mode);
  info.size = static_cast<uint64_t>(st.st_size);
  info.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return info;
}

Status NoSuchKey(const std::string& bucket, const std::string& key) {
  return NotFound("no such key '" + key + "' in bucket '" + bucket + "'", "NoSuchKey");
}

// Temp names carry the writer's pid so that cleanup can tell a crashed writer's leftovers from a live one's.
std::string TempName() {
  static std::atomic<uint64_t> counter{0};
  return std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1)) + "-" + NewUuid().substr(0, 8);
}

bool ProcessAlive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

}  // namespace

std::string BucketsDir(const std::string& data_dir) { return JoinPath(data_dir, "buckets"); }

std::string QuotedMd5(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xF];
  }
  out += '"';
  return out;
}

FsObjectStore::FsObjectStore(FileSystem& fs, std::string root_dir) : fs_(fs), root_(std::move(root_dir)) {
  CleanStaleTempFiles();
}

std::string FsObjectStore::TempDir() const { return JoinPath(root_, kTempDirName); }

std::string FsObjectStore::ObjectPath(const std::string& bucket, const std::string& key) const {
  return JoinPath(JoinPath(root_, bucket), key);
}

void FsObjectStore::CleanStaleTempFiles() {
  auto names = fs_.ListDir(TempDir());
  if (!names.ok()) return;  // no temp dir yet: nothing to clean
  // A temp file named with our own pid is a leftover of an earlier process that had the same pid only until
  // this process starts writing: several stores may live in one process (the pipeline's, the model registry's),
  // so only the first one constructed may remove own-pid files; later ones would delete live writes.
  static std::atomic<bool> own_pid_cleaned{false};
  const bool clean_own_pid = !own_pid_cleaned.exchange(true);
  for (const std::string& name : *names) {
    pid_t pid = static_cast<pid_t>(std::atoll(name.c_str()));
    if (pid == ::getpid() ? clean_own_pid : !ProcessAlive(pid)) {
      if (fs_.RemoveFile(JoinPath(TempDir(), name)).ok()) ++removed_temp_files_;
    }
  }
}

Status FsObjectStore::CreateParentDirsDurably(const std::string& bucket_dir, const std::string& key) {
  // Every directory created must itself be made durable by an fsync of its parent, or a crash could lose the
  // whole subtree with the object in it.
  std::vector<std::string> chain;  // root, bucket dir, then each key folder
  chain.push_back(root_);
  chain.push_back(bucket_dir);
  size_t pos = 0;
  while ((pos = key.find('/', pos)) != std::string::npos) {
    chain.push_back(JoinPath(bucket_dir, key.substr(0, pos)));
    ++pos;
  }
  size_t first_missing = chain.size();
  for (size_t i = 0; i < chain.size(); ++i) {
    StatInfo st = StatPath(chain[i]);
    if (!st.exists) {
      first_missing = i;
      break;
    }
    if (!st.is_dir) {
      return FailedPrecondition("cannot store key '" + key + "': '" + chain[i] +
                                "' is an object, and the local store cannot hold an object and a folder of the same name");
    }
  }
  if (first_missing == chain.size()) return Status::OK();
  RETURN_IF_ERROR(fs_.CreateDirs(chain.back()));
  for (size_t i = std::max<size_t>(first_missing, 1); i < chain.size(); ++i) RETURN_IF_ERROR(fs_.SyncDir(chain[i - 1]));
  return Status::OK();
}

Status FsObjectStore::Put(const std::string& bucket, const std::string& key, std::string_view data) {
  RETURN_IF_ERROR(ValidateBucketName(bucket));
  RETURN_IF_ERROR(ValidateKeyForFilesystem(key));
  const std::string bucket_dir = JoinPath(root_, bucket);
  const std::string path = ObjectPath(bucket, key);
  if (StatPath(path).is_dir) {
    return FailedPrecondition("cannot store key '" + key + "' in bucket '" + bucket +
                              "': other keys use it as a folder, which the local store cannot represent");
  }
  RETURN_IF_ERROR(fs_.CreateDirs(TempDir()));
  const std::string tmp = JoinPath(TempDir(), TempName());
  {
    ASSIGN_OR_RETURN(auto file, fs_.OpenWritable(tmp, /*truncate=*/true));
    Status s = file->Append(data);
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
    if (!s.ok()) {
      fs_.RemoveFile(tmp).IgnoreError();
      return s.WithContext("put " + bucket + "/" + key);
    }
  }
  // A concurrent Delete may prune an empty folder between our mkdir and rename: recreate and retry.
  Status s;
  for (int attempt = 0; attempt < 3; ++attempt) {
    s = CreateParentDirsDurably(bucket_dir, key);
    if (!s.ok()) break;
    s = fs_.Rename(tmp, path);
    if (s.ok() || s.code() != StatusCode::kNotFound) break;
  }
  if (!s.ok()) {
    fs_.RemoveFile(tmp).IgnoreError();
    return s.WithContext("put " + bucket + "/" + key);
  }
  RETURN_IF_ERROR(fs_.SyncDir(DirName(path)));
  StatInfo st = StatPath(path);
  if (st.exists) RememberEtag(path, st.size, st.mtime_ns, QuotedMd5(data));
  return Status::OK();
}

Result<std::string> FsObjectStore::Get(const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(ValidateBucketName(bucket));
  RETURN_IF_ERROR(ValidateKeyForFilesystem(key));
  const std::string path = ObjectPath(bucket, key);
  if (StatPath(path).is_dir) return NoSuchKey(bucket, key);
  auto data = fs_.ReadFile(path);
  if (!data.ok() && data.status().code() == StatusCode::kNotFound) return NoSuchKey(bucket, key);
  return data;
}

Result<ObjectInfo> FsObjectStore::Head(const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(ValidateBucketName(bucket));
  RETURN_IF_ERROR(ValidateKeyForFilesystem(key));
  const std::string path = ObjectPath(bucket, key);
  StatInfo st = StatPath(path);
  if (!st.exists || st.is_dir) return NoSuchKey(bucket, key);
  ObjectInfo info;
  info.key = key;
  info.size = st.size;
  info.last_modified_ms = st.mtime_ns / 1000000;
  ASSIGN_OR_RETURN(info.etag, EtagFor(path, st.size, st.mtime_ns));
  return info;
}

void FsObjectStore::RememberEtag(const std::string& path, uint64_t size, int64_t mtime_ns, std::string etag) {
  std::lock_guard<std::mutex> lock(mu_);
  if (etags_.size() > 100000) etags_.clear();  // bound memory; entries are only a cache
  etags_[path] = CachedEtag{size, mtime_ns, std::move(etag)};
}

Result<std::string> FsObjectStore::EtagFor(const std::string& path, uint64_t size, int64_t mtime_ns) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = etags_.find(path);
    if (it != etags_.end() && it->second.size == size && it->second.mtime_ns == mtime_ns) return it->second.etag;
  }
  ASSIGN_OR_RETURN(std::string data, fs_.ReadFile(path));
  std::string etag = QuotedMd5(data);
  RememberEtag(path, size, mtime_ns, etag);
  return etag;
}

Status FsObjectStore::Delete(const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(ValidateBucketName(bucket));
  RETURN_IF_ERROR(ValidateKeyForFilesystem(key));
  const std::string bucket_dir = JoinPath(root_, bucket);
  const std::string path = ObjectPath(bucket, key);
  StatInfo st = StatPath(path);
  if (!st.exists || st.is_dir) return Status::OK();  // deleting a missing key succeeds, as in S3
  Status s = fs_.RemoveFile(path);
  if (!s.ok() && s.code() != StatusCode::kNotFound) return s.WithContext("delete " + bucket + "/" + key);
  // Prune folders left empty so that List and later puts of a same-named object are not confused by them.
  std::string dir = DirName(path);
  RETURN_IF_ERROR(fs_.SyncDir(dir));
  while (dir.size() > bucket_dir.size() && fs_.RemoveDir(dir).ok()) {
    dir = DirName(dir);
    fs_.SyncDir(dir).IgnoreError();
  }
  return Status::OK();
}

}  // namespace brewline::store
