// Deterministic record contents for the crash and multi-process tests: the parent can check every byte of a
// record it did not write itself.
#pragma once

#include <cstdint>
#include <string>

namespace brewline::stream::testdata {

// 100 B to ~40 KB (some records span log blocks), derived only from the id.
inline std::string RecordData(const std::string& id) {
  uint64_t x = 1469598103934665603ULL;
  for (char c : id) x = (x ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  const size_t size = 100 + ((x % 10 == 0) ? x % 40000 : x % 3000);
  std::string out = id + ":";
  while (out.size() < size) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out.push_back(static_cast<char>(x & 0xff));
  }
  return out;
}

}  // namespace brewline::stream::testdata
