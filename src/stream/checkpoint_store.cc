#include "stream/checkpoint_store.h"

#include <nlohmann/json.hpp>

#include "stream/local_stream.h"
#include "stream/sequence.h"

namespace brewline::stream {
namespace {

Status ValidateConsumer(const std::string& consumer) {
  bool ok = !consumer.empty() && consumer.size() <= 128 && consumer[0] != '.';
  for (char c : consumer) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-');
  if (!ok) return InvalidArgument("consumer name '" + consumer + "' must match [a-zA-Z0-9_.-]{1,128}", "ValidationException");
  return Status::OK();
}

}  // namespace

LocalCheckpointStore::LocalCheckpointStore(FileSystem& fs, const std::string& data_dir, const std::string& stream_name)
    : fs_(fs), dir_(JoinPath(StreamDir(data_dir, stream_name), "checkpoints")) {}

Result<std::map<std::string, std::string>> LocalCheckpointStore::Load(const std::string& consumer) {
  std::map<std::string, std::string> out;
  const std::string path = JoinPath(dir_, consumer + ".json");
  if (!fs_.Exists(path)) return out;
  ASSIGN_OR_RETURN(std::string text, fs_.ReadFile(path));
  try {
    auto json = nlohmann::json::parse(text);
    for (auto it = json.begin(); it != json.end(); ++it) out[it.key()] = it.value().get<std::string>();
  } catch (const std::exception& e) {
    return Corruption("checkpoint file " + path + " is unreadable: " + e.what());
  }
  return out;
}

Result<std::optional<std::string>> LocalCheckpointStore::Get(const std::string& consumer, const std::string& shard_id) {
  RETURN_IF_ERROR(ValidateConsumer(consumer));
  std::lock_guard<std::mutex> l(mu_);
  ASSIGN_OR_RETURN(auto all, Load(consumer));
  auto it = all.find(shard_id);
  if (it == all.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

Result<std::map<std::string, std::string>> LocalCheckpointStore::GetAll(const std::string& consumer) {
  RETURN_IF_ERROR(ValidateConsumer(consumer));
  std::lock_guard<std::mutex> l(mu_);
  return Load(consumer);
}

Status LocalCheckpointStore::Set(const std::string& consumer, const std::string& shard_id,
                                 const std::string& sequence_number) {
  RETURN_IF_ERROR(ValidateConsumer(consumer));
  int index = 0;
  if (!ParseShardId(shard_id, &index)) {
    return InvalidArgument("'" + shard_id + "' is not a shard id (shardId-000000000000)", "ValidationException");
  }
  ASSIGN_OR_RETURN(SequencePosition pos, ParseSequenceNumber(sequence_number));
  if (pos.shard_index != index) {
    return InvalidArgument("sequence number " + sequence_number + " is not from " + shard_id, "InvalidArgumentException");
  }
  std::lock_guard<std::mutex> l(mu_);
  RETURN_IF_ERROR(fs_.CreateDirs(dir_));
  ASSIGN_OR_RETURN(auto lock, fs_.Lock(JoinPath(dir_, consumer + ".lock"), /*wait=*/true));
  ASSIGN_OR_RETURN(auto all, Load(consumer));
  all[shard_id] = sequence_number;
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [k, v] : all) json[k] = v;
  return WriteFileAtomically(fs_, JoinPath(dir_, consumer + ".json"), json.dump(2) + "\n");
}

}  // namespace brewline::stream
