#include "testing/fault_injection_fs.h"

namespace brewline::testing {
namespace {

class FaultWritableFile final : public WritableFile {
 public:
  FaultWritableFile(FaultInjectionFileSystem& fs, std::string path, std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}

  Status Append(std::string_view data) override {
    RETURN_IF_ERROR(fs_.ReserveBytes(data.size()).WithContext("write " + path_));
    return base_->Append(data);
  }
  Status Sync() override {
    if (fs_.sync_fails()) return IOError("fdatasync " + path_ + ": Input/output error (injected)");
    RETURN_IF_ERROR(base_->Sync());
    fs_.CountSync();
    fs_.RecordSynced(path_, base_->Size());
    return Status::OK();
  }
  Status Close() override { return base_->Close(); }
  uint64_t Size() const override { return base_->Size(); }

 private:
  FaultInjectionFileSystem& fs_;
  std::string path_;
  std::unique_ptr<WritableFile> base_;
};

}  // namespace

void FaultInjectionFileSystem::SetFreeBytes(std::optional<uint64_t> bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  free_bytes_ = bytes;
}

Status FaultInjectionFileSystem::ReserveBytes(uint64_t n) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!free_bytes_) return Status::OK();
  if (*free_bytes_ < n) return ResourceExhausted("No space left on device (injected)");
  *free_bytes_ -= n;
  return Status::OK();
}

void FaultInjectionFileSystem::RecordSynced(const std::string& path, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  synced_size_[path] = size;
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::OpenWritable(const std::string& path,
                                                                             bool truncate) {
  ASSIGN_OR_RETURN(auto base, base_.OpenWritable(path, truncate));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = synced_size_.find(path);
    if (it == synced_size_.end()) {
      synced_size_[path] = truncate ? 0 : base->Size();
    } else if (truncate) {
      it->second = 0;
    }
  }
  return std::unique_ptr<WritableFile>(new FaultWritableFile(*this, path, std::move(base)));
}

Status FaultInjectionFileSystem::RemoveFile(const std::string& path) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    synced_size_.erase(path);
  }
  return base_.RemoveFile(path);
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  RETURN_IF_ERROR(base_.Rename(from, to));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = synced_size_.find(from);
  if (it != synced_size_.end()) {
    synced_size_[to] = it->second;
    synced_size_.erase(from);
  }
  return Status::OK();
}

Status FaultInjectionFileSystem::Truncate(const std::string& path, uint64_t size) {
  RETURN_IF_ERROR(base_.Truncate(path, size));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = synced_size_.find(path);
  if (it != synced_size_.end() && it->second > size) it->second = size;
  return Status::OK();
}

Status FaultInjectionFileSystem::SyncDir(const std::string& path) {
  if (sync_fails_) return IOError("fsync directory " + path + ": Input/output error (injected)");
  return base_.SyncDir(path);
}

Status FaultInjectionFileSystem::DropUnsyncedData() {
  std::map<std::string, uint64_t> sizes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    sizes = synced_size_;
  }
  for (const auto& [path, size] : sizes) {
    if (!base_.Exists(path)) continue;
    ASSIGN_OR_RETURN(uint64_t actual, base_.FileSize(path));
    if (actual > size) RETURN_IF_ERROR(base_.Truncate(path, size));
  }
  return Status::OK();
}

}  // namespace brewline::testing
