// The on-disk contract of a shard segment file (see docs/stream-log-format.md). Constants only: the writer
// (log_writer.h) and the reader (log_reader.h) both include this, and nothing else defines the format.
//
// A segment is a sequence of 32 KiB blocks. Each block holds physical records:
//   crc32 (4 bytes, little-endian, zlib CRC-32 of the type byte and the payload)
//   length (2 bytes, little-endian, payload bytes)
//   type (1 byte: FULL, FIRST, MIDDLE, LAST)
//   payload
// A record never straddles a block boundary: a logical record too big for the rest of a block is split into
// FIRST, MIDDLE…, LAST fragments. Fewer than kHeaderSize bytes left in a block are a zero-filled trailer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace brewline::stream::log {

enum RecordType : uint8_t {
  // Zero is never written: zero bytes inside the written range mean a zeroed (damaged) region, and zero bytes at
  // the end of a file mean a torn write.
  kZeroType = 0,
  kFullType = 1,
  kFirstType = 2,
  kMiddleType = 3,
  kLastType = 4,
};
inline constexpr int kMaxRecordType = kLastType;

inline constexpr size_t kBlockSize = 32768;
// crc (4) + length (2) + type (1).
inline constexpr size_t kHeaderSize = 4 + 2 + 1;

// The logical record (one stream record) carried by the physical records above:
//   counter (8, LE: the per-shard record number the sequence number encodes)
//   arrival_ms (8, LE: ApproximateArrivalTimestamp, epoch milliseconds)
//   key_length (2, LE) | partition key | data (the rest)
inline constexpr size_t kEntryHeaderSize = 8 + 8 + 2;

// Segment file names: <first counter, 20 digits>.log inside the shard directory.
inline constexpr const char* kSegmentSuffix = ".log";
inline constexpr int kSegmentNameDigits = 20;

}  // namespace brewline::stream::log
