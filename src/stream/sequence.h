// Sequence numbers and shard iterators of the local stream.
//
// A sequence number is a 32-digit decimal string: "1", the shard index (11 digits), the record's per-shard
// counter (20 digits). Fixed width makes string order equal numeric order, and sequence numbers are unique
// across shards and increasing per shard, as Kinesis promises (they are not meant to be parsed by callers).
// An iterator is an opaque base64 string naming the stream, the shard, the next counter to read and the
// time it was issued; it expires kIteratorLifetimeMs later. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::stream {

inline constexpr int64_t kIteratorLifetimeMs = 5 * 60 * 1000;

struct SequencePosition {
  int shard_index = 0;
  uint64_t counter = 0;
};

std::string FormatSequenceNumber(int shard_index, uint64_t counter);
// InvalidArgumentException unless `text` is a sequence number this stream format produced.
Result<SequencePosition> ParseSequenceNumber(std::string_view text);

// "shardId-000000000007".
std::string ShardIdForIndex(int shard_index);
// Parses "shardId-<12 digits>" into its index; false otherwise.
bool ParseShardId(std::string_view shard_id, int* index);

struct IteratorState {
  std::string stream_name;
  int shard_index = 0;
  uint64_t next_counter = 0;
  int64_t issued_ms = 0;
};

std::string EncodeIterator(const IteratorState& state);
// InvalidArgumentException for anything that is not an iterator of this format.
Result<IteratorState> DecodeIterator(std::string_view iterator);

}  // namespace brewline::stream
