#include "stream/sequence.h"

#include <charconv>
#include <cstdio>

#include "common/base64.h"

namespace brewline::stream {
namespace {

constexpr int kShardDigits = 11;
constexpr int kCounterDigits = 20;
constexpr std::string_view kIteratorTag = "brewline-iterator-v1";

bool ParseU64(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

bool ParseI64(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::string FormatSequenceNumber(int shard_index, uint64_t counter) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "1%011d%020llu", shard_index, static_cast<unsigned long long>(counter));
  return buf;
}

Result<SequencePosition> ParseSequenceNumber(std::string_view text) {
  auto invalid = [&] {
    return InvalidArgument("sequence number '" + std::string(text) + "' did not come from this stream",
                           "InvalidArgumentException");
  };
  if (text.size() != 1 + kShardDigits + kCounterDigits || text[0] != '1') return invalid();
  uint64_t shard = 0;
  SequencePosition pos;
  if (!ParseU64(text.substr(1, kShardDigits), &shard) || !ParseU64(text.substr(1 + kShardDigits), &pos.counter)) {
    return invalid();
  }
  if (shard > 1000000) return invalid();
  pos.shard_index = static_cast<int>(shard);
  return pos;
}

std::string ShardIdForIndex(int shard_index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "shardId-%012d", shard_index);
  return buf;
}

bool ParseShardId(std::string_view shard_id, int* index) {
  constexpr std::string_view kPrefix = "shardId-";
  if (shard_id.size() != kPrefix.size() + 12 || shard_id.substr(0, kPrefix.size()) != kPrefix) return false;
  uint64_t v = 0;
  if (!ParseU64(shard_id.substr(kPrefix.size()), &v) || v > 1000000) return false;
  *index = static_cast<int>(v);
  return true;
}

std::string EncodeIterator(const IteratorState& state) {
  std::string plain(kIteratorTag);
  plain += '\n' + state.stream_name + '\n' + std::to_string(state.shard_index) + '\n' +
           std::to_string(state.next_counter) + '\n' + std::to_string(state.issued_ms);
  return Base64Encode(plain);
}

Result<IteratorState> DecodeIterator(std::string_view iterator) {
  auto invalid = [] { return InvalidArgument("invalid ShardIterator", "InvalidArgumentException"); };
  auto plain = Base64Decode(iterator);
  if (!plain.ok()) return invalid();
  std::string_view rest = *plain;
  std::string_view parts[5];
  for (int i = 0; i < 5; ++i) {
    size_t nl = rest.find('\n');
    if ((nl == std::string_view::npos) != (i == 4)) return invalid();
    parts[i] = rest.substr(0, nl);
    if (nl != std::string_view::npos) rest = rest.substr(nl + 1);
  }
  if (parts[0] != kIteratorTag) return invalid();
  IteratorState state;
  state.stream_name = std::string(parts[1]);
  uint64_t shard = 0;
  if (!ParseU64(parts[2], &shard) || shard > 1000000 || !ParseU64(parts[3], &state.next_counter) ||
      !ParseI64(parts[4], &state.issued_ms)) {
    return invalid();
  }
  state.shard_index = static_cast<int>(shard);
  return state;
}

}  // namespace brewline::stream
