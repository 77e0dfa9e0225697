#include "stream/hash_key.h"

#include <openssl/evp.h>

#include <algorithm>

namespace brewline::stream {

HashKey PartitionKeyHash(std::string_view partition_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(partition_key.data(), partition_key.size(), digest, &len, EVP_md5(), nullptr);
  HashKey value = 0;
  for (unsigned int i = 0; i < 16 && i < len; ++i) value = (value << 8) | digest[i];
  return value;
}

Result<HashKey> ParseHashKey(std::string_view text) {
  auto invalid = [&] {
    return InvalidArgument("ExplicitHashKey '" + std::string(text) + "' must be a decimal integer in [0, 2^128-1]",
                           "InvalidArgumentException");
  };
  if (text.empty() || text.size() > 39) return invalid();
  if (text.size() > 1 && text[0] == '0') return invalid();
  HashKey value = 0;
  const HashKey max = ~static_cast<HashKey>(0);
  for (char c : text) {
    if (c < '0' || c > '9') return invalid();
    const unsigned digit = static_cast<unsigned>(c - '0');
    if (value > (max - digit) / 10) return invalid();
    value = value * 10 + digit;
  }
  return value;
}

std::string HashKeyToString(HashKey value) {
  if (value == 0) return "0";
  std::string out;
  while (value > 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<HashKeyRange> EvenHashKeyRanges(int shard_count) {
  const HashKey max = ~static_cast<HashKey>(0);
  const HashKey n = static_cast<HashKey>(shard_count < 1 ? 1 : shard_count);
  // floor(2^128 / n) computed without 2^128: floor((2^128−1)/n), plus one when n divides 2^128.
  HashKey step = max / n;
  if (max % n == n - 1) step += 1;
  std::vector<HashKeyRange> ranges(static_cast<size_t>(n));
  for (size_t i = 0; i < ranges.size(); ++i) {
    ranges[i].start = step * i;
    ranges[i].end = (i + 1 == ranges.size()) ? max : step * (i + 1) - 1;
  }
  return ranges;
}

int ShardForHashKey(const std::vector<HashKeyRange>& ranges, HashKey key) {
  auto it = std::upper_bound(ranges.begin(), ranges.end(), key,
                             [](HashKey k, const HashKeyRange& r) { return k < r.start; });
  if (it == ranges.begin()) return 0;
  return static_cast<int>(it - ranges.begin()) - 1;
}

}  // namespace brewline::stream
