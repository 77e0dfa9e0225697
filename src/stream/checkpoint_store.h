// LocalCheckpointStore: durable consumer positions under <data-dir>/streams/<name>/checkpoints/, one JSON file
// per consumer ({"shardId-000000000000": "<sequence number>", …}). Set is a read-modify-write under an
// in-process mutex and a per-consumer flock (so consumers in different processes never lose each other's
// shards), committed with WriteFileAtomically (temp, fsync, rename, fsync dir). Consumers are independent.
// Thread-safe; the FileSystem must outlive the store.
#pragma once

#include <mutex>
#include <string>

#include "common/file_system.h"
#include "stream/stream.h"

namespace brewline::stream {

class LocalCheckpointStore final : public CheckpointStore {
 public:
  LocalCheckpointStore(FileSystem& fs, const std::string& data_dir, const std::string& stream_name);

  Result<std::optional<std::string>> Get(const std::string& consumer, const std::string& shard_id) override;
  Result<std::map<std::string, std::string>> GetAll(const std::string& consumer) override;
  Status Set(const std::string& consumer, const std::string& shard_id, const std::string& sequence_number) override;

  const std::string& dir() const { return dir_; }

 private:
  Result<std::map<std::string, std::string>> Load(const std::string& consumer);

  FileSystem& fs_;
  const std::string dir_;
  std::mutex mu_;
};

}  // namespace brewline::stream
