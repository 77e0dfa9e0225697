// LogReader: reads logical records back from a segment in the block format of log_format.h, after leveldb's
// log::Reader. Every damaged byte inside the range is reported to the Reporter with its offset and a reason
// ("checksum mismatch", "bad record length", "zeroed block", "unknown record type", "missing start",
// "partial record without end"); nothing is skipped silently. An incomplete record at the very end of the
// range (a writer died mid-append) is not reported: it is exposed as tail_offset() so that the owner, holding
// the shard lock, can decide it is a torn tail and truncate it.
//
// Lifetimes: `file` and `reporter` must outlive the reader. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/file_system.h"

namespace brewline::stream::log {

class LogReader {
 public:
  class Reporter {
   public:
    virtual ~Reporter() = default;
    // `bytes` bytes starting at file offset `offset` were dropped.
    virtual void Corruption(uint64_t offset, uint64_t bytes, const std::string& reason) = 0;
  };

  // Reads records that start at or after `initial_offset` and end at or before `end_offset` (the length the
  // caller knows to be durable). `reporter` may be null.
  LogReader(const RandomAccessFile* file, Reporter* reporter, uint64_t initial_offset, uint64_t end_offset);
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // Reads the next record into *record (its first header's offset into *offset). Returns false at the end
  // of the range or on an I/O error (see status()).
  bool ReadRecord(std::string* record, uint64_t* offset);

  // End offset of the last record returned (initial_offset before any).
  uint64_t last_record_end() const { return last_record_end_; }
  // Set once the end was reached inside an incomplete record: the offset where that record started.
  std::optional<uint64_t> tail_offset() const { return tail_offset_; }
  const Status& status() const { return status_; }

 private:
  enum : int { kEof = 256, kBadRecord = 257 };
  // Returns a record type, kEof or kBadRecord.
  int ReadPhysicalRecord(std::string_view* fragment, uint64_t* offset);
  // Loads the next chunk of blocks into buffer_; false at the end of the range.
  bool Refill();
  void Report(uint64_t offset, uint64_t bytes, const std::string& reason);

  const RandomAccessFile* file_;
  Reporter* reporter_;
  const uint64_t initial_offset_;
  const uint64_t end_offset_;
  Status status_;

  std::string buffer_;          // whole blocks read from the file, starting at buffer_offset_
  uint64_t buffer_offset_;      // file offset of buffer_[0] (block-aligned)
  size_t pos_ = 0;              // parse position in buffer_
  bool exhausted_ = false;     // a read failed or came back short
  bool resyncing_;              // skipping fragments of a record that started before initial_offset
  uint64_t last_record_end_;
  std::optional<uint64_t> tail_offset_;
};

}  // namespace brewline::stream::log
