// The logical record a shard stores (layout in log_format.h: counter, arrival, key length, key, data).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace brewline::stream {

struct EntryView {
  uint64_t counter = 0;
  int64_t arrival_ms = 0;
  std::string_view partition_key;
  std::string_view data;
};

void EncodeEntry(uint64_t counter, int64_t arrival_ms, std::string_view partition_key, std::string_view data,
                 std::string* out);
// False when `payload` is too short or its key length overruns it. The views point into `payload`.
bool DecodeEntry(std::string_view payload, EntryView* out);

}  // namespace brewline::stream
