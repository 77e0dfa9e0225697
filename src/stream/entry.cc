#include "stream/entry.h"

#include "stream/log_format.h"

namespace brewline::stream {
namespace {

void PutFixed64(std::string* out, uint64_t v) {
  char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out->append(buf, 8);
}

uint64_t GetFixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

}  // namespace

void EncodeEntry(uint64_t counter, int64_t arrival_ms, std::string_view partition_key, std::string_view data,
                 std::string* out) {
  out->clear();
  out->reserve(log::kEntryHeaderSize + partition_key.size() + data.size());
  PutFixed64(out, counter);
  PutFixed64(out, static_cast<uint64_t>(arrival_ms));
  out->push_back(static_cast<char>(partition_key.size() & 0xff));
  out->push_back(static_cast<char>((partition_key.size() >> 8) & 0xff));
  out->append(partition_key);
  out->append(data);
}

bool DecodeEntry(std::string_view payload, EntryView* out) {
  if (payload.size() < log::kEntryHeaderSize) return false;
  const char* p = payload.data();
  out->counter = GetFixed64(p);
  out->arrival_ms = static_cast<int64_t>(GetFixed64(p + 8));
  const size_t key_len = static_cast<unsigned char>(p[16]) | (static_cast<size_t>(static_cast<unsigned char>(p[17])) << 8);
  if (log::kEntryHeaderSize + key_len > payload.size()) return false;
  out->partition_key = payload.substr(log::kEntryHeaderSize, key_len);
  out->data = payload.substr(log::kEntryHeaderSize + key_len);
  return true;
}

}  // namespace brewline::stream
