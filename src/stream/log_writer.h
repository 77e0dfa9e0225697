// LogWriter: frames logical records into the block format of log_format.h.
//
// The writer does not own a file: AddRecord appends the framed bytes to a caller-supplied buffer, so one group
// commit can frame many records and write them with a single Append + Sync. The writer only tracks where in
// its 32 KiB block the end of the file is; construct it with the file's current length (any process may have
// appended since, so the shard builds a new writer from the on-disk size each time it takes the shard lock).
// Not thread-safe; cheap to construct.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace brewline::stream::log {

class LogWriter {
 public:
  explicit LogWriter(uint64_t dest_length);
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Appends the physical records for `payload` to *out (fragmenting across blocks, padding block trailers).
  // Returns the file offset of the record's first header (after any trailer padding): what an index stores.
  uint64_t AddRecord(std::string_view payload, std::string* out);
  // Byte offset (in the file) at which the next AddRecord's first fragment will start, after any trailer.
  uint64_t offset() const { return offset_; }

 private:
  void EmitPhysicalRecord(uint8_t type, const char* data, size_t n, std::string* out);

  uint64_t offset_;        // file length including everything emitted so far
  size_t block_offset_;    // offset_ % kBlockSize
};

}  // namespace brewline::stream::log
