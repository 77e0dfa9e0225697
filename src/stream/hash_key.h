// The 128-bit hash-key space of Kinesis: MD5 routing of partition keys, ExplicitHashKey parsing, and the even
// split of [0, 2^128−1] between N shards created together (shard i starts at floor(2^128/N)·i).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::stream {

using HashKey = unsigned __int128;

struct HashKeyRange {
  HashKey start = 0;
  HashKey end = 0;  // inclusive
};

// MD5 of the UTF-8 bytes, read as a big-endian 128-bit unsigned integer.
HashKey PartitionKeyHash(std::string_view partition_key);
// Parses `0|([1-9]\d{0,38})` within [0, 2^128−1]; InvalidArgumentException otherwise.
Result<HashKey> ParseHashKey(std::string_view text);
std::string HashKeyToString(HashKey value);
// The ranges of `shard_count` shards (≥ 1) created together.
std::vector<HashKeyRange> EvenHashKeyRanges(int shard_count);
// Index of the range containing `key` (ranges as returned by EvenHashKeyRanges).
int ShardForHashKey(const std::vector<HashKeyRange>& ranges, HashKey key);

}  // namespace brewline::stream
