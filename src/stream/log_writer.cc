#include "stream/log_writer.h"

#include <zlib.h>

#include "stream/log_format.h"

namespace brewline::stream::log {

LogWriter::LogWriter(uint64_t dest_length) : offset_(dest_length), block_offset_(dest_length % kBlockSize) {}

uint64_t LogWriter::AddRecord(std::string_view payload, std::string* out) {
  const char* ptr = payload.data();
  size_t left = payload.size();
  // An empty payload still gets one (FULL, zero-length) record.
  bool begin = true;
  uint64_t start = 0;
  do {
    const size_t leftover = kBlockSize - block_offset_;
    if (leftover < kHeaderSize) {
      // Not even a header fits: fill the trailer with zeros and move to the next block.
      out->append(leftover, '\0');
      offset_ += leftover;
      block_offset_ = 0;
    }
    if (begin) start = offset_;
    const size_t avail = kBlockSize - block_offset_ - kHeaderSize;
    const size_t fragment = left < avail ? left : avail;
    const bool end = (left == fragment);
    uint8_t type;
    if (begin && end) {
      type = kFullType;
    } else if (begin) {
      type = kFirstType;
    } else if (end) {
      type = kLastType;
    } else {
      type = kMiddleType;
    }
    EmitPhysicalRecord(type, ptr, fragment, out);
    ptr += fragment;
    left -= fragment;
    begin = false;
  } while (left > 0);
  return start;
}

void LogWriter::EmitPhysicalRecord(uint8_t type, const char* data, size_t n, std::string* out) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(&type), 1);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(n));
  char header[kHeaderSize];
  const uint32_t c = static_cast<uint32_t>(crc);
  header[0] = static_cast<char>(c & 0xff);
  header[1] = static_cast<char>((c >> 8) & 0xff);
  header[2] = static_cast<char>((c >> 16) & 0xff);
  header[3] = static_cast<char>((c >> 24) & 0xff);
  header[4] = static_cast<char>(n & 0xff);
  header[5] = static_cast<char>((n >> 8) & 0xff);
  header[6] = static_cast<char>(type);
  out->append(header, kHeaderSize);
  out->append(data, n);
  offset_ += kHeaderSize + n;
  block_offset_ += kHeaderSize + n;
  if (block_offset_ == kBlockSize) block_offset_ = 0;
}

}  // namespace brewline::stream::log
