// A FileSystem wrapper for tests, after leveldb's fault_injection_test: it can run out of space, fail
// fsyncs, and simulate power loss by dropping every byte that was appended but not synced.
// Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/file_system.h"

namespace brewline::testing {

class FaultInjectionFileSystem final : public FileSystem {
 public:
  explicit FaultInjectionFileSystem(FileSystem& base) : base_(base) {}

  // Appends beyond this many further bytes fail with ResourceExhausted (ENOSPC). nullopt = unlimited.
  void SetFreeBytes(std::optional<uint64_t> bytes);
  // While true, WritableFile::Sync and SyncDir fail with IOError.
  void SetSyncFails(bool fails) { sync_fails_ = fails; }
  // Truncates every file written through this object to the size it had at its last successful Sync.
  Status DropUnsyncedData();
  uint64_t sync_count() const { return sync_count_.load(); }

  Result<std::unique_ptr<WritableFile>> OpenWritable(const std::string& path, bool truncate) override;
  Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(const std::string& path) override {
    return base_.OpenRandomAccess(path);
  }
  Result<std::string> ReadFile(const std::string& path) override { return base_.ReadFile(path); }
  bool Exists(const std::string& path) override { return base_.Exists(path); }
  Result<uint64_t> FileSize(const std::string& path) override { return base_.FileSize(path); }
  Result<std::vector<std::string>> ListDir(const std::string& path) override { return base_.ListDir(path); }
  Status CreateDirs(const std::string& path) override { return base_.CreateDirs(path); }
  Status RemoveFile(const std::string& path) override;
  Status RemoveDir(const std::string& path) override { return base_.RemoveDir(path); }
  Status Rename(const std::string& from, const std::string& to) override;
  Status Truncate(const std::string& path, uint64_t size) override;
  Status SyncDir(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> Lock(const std::string& path, bool wait) override { return base_.Lock(path, wait); }
  bool IsDirectory(const std::string& path) override { return base_.IsDirectory(path); }

  // Used by the wrapped files.
  Status ReserveBytes(uint64_t n);
  void RecordSynced(const std::string& path, uint64_t size);
  bool sync_fails() const { return sync_fails_.load(); }
  void CountSync() { sync_count_++; }

 private:
  FileSystem& base_;
  std::mutex mu_;
  std::optional<uint64_t> free_bytes_;
  std::atomic<bool> sync_fails_{false};
  std::atomic<uint64_t> sync_count_{0};
  std::map<std::string, uint64_t> synced_size_;  // path → durable size
};

}  // namespace brewline::testing
