#include "stream/log_reader.h"

#include <zlib.h>

#include <algorithm>

#include "stream/log_format.h"

namespace brewline::stream::log {
namespace {

// Blocks read per pread: large enough to amortise the syscall, small enough to keep memory flat.
constexpr size_t kChunkBlocks = 8;
// Returned by ReadPhysicalRecord for a fragment that starts before initial_offset (skipped, not damage).
constexpr int kSkipped = 258;

uint32_t DecodeFixed32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint32_t>(u[0]) | (static_cast<uint32_t>(u[1]) << 8) | (static_cast<uint32_t>(u[2]) << 16) |
         (static_cast<uint32_t>(u[3]) << 24);
}

}  // namespace

LogReader::LogReader(const RandomAccessFile* file, Reporter* reporter, uint64_t initial_offset, uint64_t end_offset)
    : file_(file),
      reporter_(reporter),
      initial_offset_(initial_offset),
      end_offset_(end_offset),
      buffer_offset_(initial_offset - initial_offset % kBlockSize),
      resyncing_(initial_offset > 0),
      last_record_end_(initial_offset) {}

void LogReader::Report(uint64_t offset, uint64_t bytes, const std::string& reason) {
  if (reporter_ != nullptr && bytes > 0) reporter_->Corruption(offset, bytes, reason);
}

bool LogReader::Refill() {
  const uint64_t next = buffer_offset_ + buffer_.size();
  if (exhausted_ || next >= end_offset_) return false;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunkBlocks * kBlockSize, end_offset_ - next));
  Status s = file_->Read(next, n, &buffer_);
  if (!s.ok()) {
    status_ = s;
    buffer_.clear();
    exhausted_ = true;
    return false;
  }
  buffer_offset_ = next;
  pos_ = 0;
  // A short read means the file is shorter than the caller believed: treat its end as the range's end.
  if (buffer_.size() < n) exhausted_ = true;
  return !buffer_.empty();
}

int LogReader::ReadPhysicalRecord(std::string_view* fragment, uint64_t* offset) {
  while (true) {
    if (pos_ >= buffer_.size() && !Refill()) return kEof;
    const size_t block_start = pos_ - pos_ % kBlockSize;
    const size_t block_end = std::min(block_start + kBlockSize, buffer_.size());
    // The range ends inside this block: whatever is incomplete here is the tail, not damage.
    const bool final_block = block_end < block_start + kBlockSize;
    const size_t remaining = block_end - pos_;
    const uint64_t here = buffer_offset_ + pos_;
    if (remaining < kHeaderSize) {
      if (final_block) {
        if (!tail_offset_) tail_offset_ = here;
        pos_ = block_end;
        return kEof;
      }
      pos_ = block_end;  // a block trailer
      continue;
    }
    const char* header = buffer_.data() + pos_;
    const uint32_t expected_crc = DecodeFixed32(header);
    const size_t length = static_cast<unsigned char>(header[4]) | (static_cast<unsigned char>(header[5]) << 8);
    const uint8_t type = static_cast<uint8_t>(header[6]);
    if (kHeaderSize + length > remaining) {
      pos_ = block_end;
      if (final_block) {
        if (!tail_offset_) tail_offset_ = here;
        return kEof;
      }
      // The length itself may be corrupt, so nothing else in this block can be trusted.
      Report(here, remaining, "bad record length");
      return kBadRecord;
    }
    if (type == kZeroType && length == 0) {
      pos_ = block_end;
      Report(here, remaining, "zeroed block");
      return kBadRecord;
    }
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(header + 6), static_cast<uInt>(1 + length));
    if (static_cast<uint32_t>(crc) != expected_crc) {
      pos_ = block_end;
      Report(here, remaining, "checksum mismatch");
      return kBadRecord;
    }
    pos_ += kHeaderSize + length;
    if (here < initial_offset_) return kSkipped;
    *fragment = std::string_view(header + kHeaderSize, length);
    *offset = here;
    return type;
  }
}

bool LogReader::ReadRecord(std::string* record, uint64_t* offset) {
  record->clear();
  bool in_fragmented = false;
  uint64_t record_offset = 0;
  uint64_t fragments_end = 0;  // end of the last good fragment of the record being assembled
  while (true) {
    std::string_view fragment;
    uint64_t physical_offset = 0;
    const int type = ReadPhysicalRecord(&fragment, &physical_offset);
    const uint64_t physical_end = buffer_offset_ + pos_;
    if (resyncing_) {
      // Fragments of a record that began before initial_offset belong to a record the caller did not ask for.
      if (type == kMiddleType || type == kLastType) continue;
      if (type == kFullType || type == kFirstType) resyncing_ = false;
    }
    switch (type) {
      case kFullType:
        if (in_fragmented) Report(record_offset, fragments_end - record_offset, "partial record without end");
        record->assign(fragment);
        *offset = physical_offset;
        last_record_end_ = physical_end;
        return true;
      case kFirstType:
        if (in_fragmented) Report(record_offset, fragments_end - record_offset, "partial record without end");
        record->assign(fragment);
        record_offset = physical_offset;
        fragments_end = physical_end;
        in_fragmented = true;
        break;
      case kMiddleType:
      case kLastType:
        if (!in_fragmented) {
          Report(physical_offset, physical_end - physical_offset, "missing start");
          break;
        }
        record->append(fragment);
        fragments_end = physical_end;
        if (type == kLastType) {
          *offset = record_offset;
          last_record_end_ = physical_end;
          return true;
        }
        break;
      case kEof:
        // A record cut short by the end of the range: a writer died mid-append (the owner decides).
        if (in_fragmented) tail_offset_ = tail_offset_ ? std::min(*tail_offset_, record_offset) : record_offset;
        record->clear();
        return false;
      case kBadRecord:
        if (in_fragmented) {
          Report(record_offset, fragments_end - record_offset, "partial record without end");
          in_fragmented = false;
          record->clear();
        }
        break;
      case kSkipped:
        break;
      default:
        Report(physical_offset, physical_end - physical_offset, "unknown record type");
        if (in_fragmented) {
          Report(record_offset, fragments_end - record_offset, "partial record without end");
          in_fragmented = false;
          record->clear();
        }
        break;
    }
  }
}

}  // namespace brewline::stream::log
