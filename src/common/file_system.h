// FileSystem: the file seam. Production code uses PosixFileSystem; tests wrap it (see
// tests/testing/fault_injection_fs.h) to inject ENOSPC, fsync failures and power loss.
// Paths are plain strings; no method throws.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline {

// An open file written sequentially at its end. Not thread-safe; one writer per object.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  // Makes everything appended so far durable (fdatasync).
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  // Bytes in the file, including what was appended through this object.
  virtual uint64_t Size() const = 0;
};

// An open file read at arbitrary offsets. Thread-safe (pread).
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to n bytes at offset into *out (resized to the bytes read; short at end of file).
  virtual Status Read(uint64_t offset, size_t n, std::string* out) const = 0;
  virtual Result<uint64_t> Size() const = 0;
};

// A held advisory lock (flock). Released on destruction.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Opens for appending, creating the file if missing (truncate=true empties it first).
  virtual Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, bool truncate) = 0;
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;

  virtual bool Exists(const std::string& path) = 0;
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;
  // Names (not paths) of the entries in a directory, sorted; "." and ".." excluded.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  virtual Status CreateDirs(const std::string& path) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Removes an empty directory.
  virtual Status RemoveDir(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status Truncate(const std::string& path, uint64_t size) = 0;
  // fsyncs a directory so that creates, renames and removes in it are durable.
  virtual Status SyncDir(const std::string& path) = 0;
  // Takes an exclusive advisory lock on `path` (created if missing). wait=false fails at once with
  // Unavailable when another process or object holds it.
  virtual Result<std::unique_ptr<FileLock>> Lock(const std::string& path, bool wait) = 0;
  virtual bool IsDirectory(const std::string& path) = 0;
};

// The real thing over POSIX calls. Thread-safe.
class PosixFileSystem final : public FileSystem {
 public:
  static PosixFileSystem& Get();

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, bool truncate) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) override;
  Result<std::string> ReadFile(const std::string& path) override;
  bool Exists(const std::string& path) override;
  Result<uint64_t> FileSize(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Status CreateDirs(const std::string& path) override;
  Status RemoveFile(const std::string& path) override;
  Status RemoveDir(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  Status SyncDir(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> Lock(const std::string& path, bool wait) override;
  bool IsDirectory(const std::string& path) override;
};

// "a/b/c" → "a/b"; "c" → ".".
std::string DirName(const std::string& path);
std::string JoinPath(std::string_view a, std::string_view b);

// Writes `data` to `path` so that a reader or a crash sees either the old file or the new one, never a mix:
// a dot-prefixed temp file in the same directory, fsync, rename, fsync of the directory.
Status WriteFileAtomically(FileSystem& fs, const std::string& path, std::string_view data);

}  // namespace brewline
