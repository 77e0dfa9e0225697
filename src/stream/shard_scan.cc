// LocalShard, phase 1: finding segments on disk, scanning them into the sparse index, recovering a torn
// tail, rolling and retention. See shard.h for the locking protocol.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "common/log.h"
#include "stream/entry.h"
#include "stream/log_format.h"
#include "stream/log_reader.h"
#include "stream/shard.h"

namespace brewline::stream {
namespace {

// One index entry per this many bytes of segment: a seek reads at most about this much extra.
constexpr uint64_t kIndexInterval = 64 * 1024;

class CollectingReporter final : public log::LogReader::Reporter {
 public:
  struct Damage {
    uint64_t offset;
    uint64_t bytes;
    std::string reason;
  };
  void Corruption(uint64_t offset, uint64_t bytes, const std::string& reason) override {
    damage.push_back({offset, bytes, reason});
  }
  std::vector<Damage> damage;
};

bool ParseSegmentName(const std::string& name, uint64_t* first_counter) {
  const std::string suffix = log::kSegmentSuffix;
  if (name.size() != static_cast<size_t>(log::kSegmentNameDigits) + suffix.size()) return false;
  if (name.compare(log::kSegmentNameDigits, suffix.size(), suffix) != 0) return false;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + log::kSegmentNameDigits, *first_counter);
  return ec == std::errc() && ptr == name.data() + log::kSegmentNameDigits;
}

}  // namespace

std::string LocalShard::SegmentPath(uint64_t first_counter) const {
  char name[64];
  std::snprintf(name, sizeof(name), "%020llu%s", static_cast<unsigned long long>(first_counter),
                log::kSegmentSuffix);
  return JoinPath(dir_, name);
}

Status LocalShard::CatchUpLocked() {
  ASSIGN_OR_RETURN(std::vector<std::string> names, fs_.ListDir(dir_));
  std::vector<uint64_t> on_disk;
  for (const auto& name : names) {
    uint64_t first = 0;
    if (ParseSegmentName(name, &first)) on_disk.push_back(first);
  }
  std::sort(on_disk.begin(), on_disk.end());
  if (on_disk.empty()) {
    // A new shard (or one whose only segment vanished): start at the counter we know comes next.
    const uint64_t first = segments_.empty() ? 0 : segments_.back()->next_counter;
    ASSIGN_OR_RETURN(auto file, fs_.OpenWritable(SegmentPath(first), /*truncate=*/false));
    RETURN_IF_ERROR(file->Sync());
    RETURN_IF_ERROR(file->Close());
    RETURN_IF_ERROR(fs_.SyncDir(dir_));
    on_disk.push_back(first);
    segments_.clear();
  }
  // Segments deleted by another process's retention leave from the front.
  while (!segments_.empty() &&
         !std::binary_search(on_disk.begin(), on_disk.end(), segments_.front()->first_counter)) {
    segments_.erase(segments_.begin());
  }
  for (uint64_t first : on_disk) {
    if (!segments_.empty() && first <= segments_.back()->first_counter) continue;
    auto seg = std::make_unique<Segment>();
    seg->first_counter = first;
    seg->next_counter = first;
    seg->path = SegmentPath(first);
    segments_.push_back(std::move(seg));
  }
  // Segments we had scanned may have grown (another process appended before rolling); the last one is
  // always kept scanned, with its torn tail (if any) truncated — we hold the lock, so nobody is writing.
  for (size_t i = 0; i < segments_.size(); ++i) {
    Segment* seg = segments_[i].get();
    const bool is_last = (i + 1 == segments_.size());
    if (is_last || seg->scanned) RETURN_IF_ERROR(ScanSegment(seg, is_last, /*may_truncate=*/is_last));
  }
  return Status::OK();
}

Status LocalShard::ScanSegment(Segment* seg, bool is_last, bool may_truncate) {
  if (!seg->file) {
    ASSIGN_OR_RETURN(auto file, fs_.OpenRandomAccess(seg->path));
    seg->file = std::move(file);
  }
  ASSIGN_OR_RETURN(uint64_t file_size, seg->file->Size());
  if (file_size < seg->size) {
    return Corruption("segment " + seg->path + " shrank from " + std::to_string(seg->size) + " to " +
                      std::to_string(file_size) + " bytes");
  }
  if (seg->scanned && file_size == seg->scanned_end) return Status::OK();
  // Damage found past the last record by an earlier scan is re-examined from the last record on.
  std::erase_if(seg->corrupt, [&](const CorruptRange& c) { return c.offset >= seg->size; });
  CollectingReporter reporter;
  log::LogReader reader(seg->file.get(), &reporter, seg->size, file_size);
  std::string payload;
  uint64_t offset = 0;
  uint64_t expected = seg->next_counter;
  while (reader.ReadRecord(&payload, &offset)) {
    EntryView entry;
    if (!DecodeEntry(payload, &entry) || entry.counter < expected) {
      reporter.Corruption(offset, payload.size(), entry.counter < expected ? "counter out of order" : "bad entry");
      continue;
    }
    const bool gap = entry.counter != expected;
    if (seg->index.empty() || gap || offset - seg->index.back().offset >= kIndexInterval) {
      seg->index.push_back({entry.counter, offset, entry.arrival_ms});
    }
    if (seg->first_arrival_ms < 0) seg->first_arrival_ms = entry.arrival_ms;
    seg->last_arrival_ms = entry.arrival_ms;
    expected = entry.counter + 1;
    seg->next_counter = expected;
  }
  RETURN_IF_ERROR(reader.status());
  const uint64_t end = reader.last_record_end();
  // Damage before the last good record is mid-log corruption: keep it, report it, never skip it silently.
  for (const auto& d : reporter.damage) {
    if (d.offset < end) {
      seg->corrupt.push_back({d.offset, d.bytes, d.reason});
      brewline::log::Error("stream_corruption", {{"segment", seg->path}, {"offset", static_cast<unsigned long long>(d.offset)},
                                        {"bytes", static_cast<unsigned long long>(d.bytes)}, {"reason", d.reason}});
    }
  }
  if (file_size > end) {
    if (is_last && may_truncate) {
      // Everything after the last complete record is a torn tail of a writer that died before its sync
      // returned: nothing in it was acknowledged.
      brewline::log::Warn("stream_torn_tail_truncated", {{"segment", seg->path},
                                               {"offset", static_cast<unsigned long long>(end)},
                                               {"bytes", static_cast<unsigned long long>(file_size - end)}});
      RETURN_IF_ERROR(fs_.Truncate(seg->path, end));
      if (writable_path_ == seg->path) writable_.reset();  // reopen for append at the new end
    } else if (!is_last) {
      seg->corrupt.push_back({end, file_size - end, "bytes after the last record of a sealed segment"});
      brewline::log::Error("stream_corruption", {{"segment", seg->path}, {"offset", static_cast<unsigned long long>(end)},
                                        {"bytes", static_cast<unsigned long long>(file_size - end)},
                                        {"reason", "bytes after the last record of a sealed segment"}});
    }
  }
  seg->size = end;
  seg->scanned_end = (is_last && may_truncate) ? end : file_size;
  seg->scanned = true;
  return Status::OK();
}

Status LocalShard::EnsureScanned(Segment* seg) {
  if (seg->scanned) return Status::OK();
  return ScanSegment(seg, /*is_last=*/false, /*may_truncate=*/false);
}

Status LocalShard::EnsureFirstArrival(Segment* seg) {
  if (seg->first_arrival_ms >= 0 || seg->scanned) return Status::OK();
  if (!seg->file) {
    ASSIGN_OR_RETURN(auto file, fs_.OpenRandomAccess(seg->path));
    seg->file = std::move(file);
  }
  ASSIGN_OR_RETURN(uint64_t file_size, seg->file->Size());
  log::LogReader reader(seg->file.get(), nullptr, 0, file_size);
  std::string payload;
  uint64_t offset = 0;
  EntryView entry;
  if (reader.ReadRecord(&payload, &offset) && DecodeEntry(payload, &entry) && entry.counter == seg->first_counter) {
    seg->first_arrival_ms = entry.arrival_ms;
    return Status::OK();
  }
  return EnsureScanned(seg);  // damaged start: the full scan reports it
}

LocalShard::Segment* LocalShard::FindSegment(uint64_t counter) {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), counter,
                             [](uint64_t c, const std::unique_ptr<Segment>& s) { return c < s->first_counter; });
  if (it == segments_.begin()) return nullptr;
  return (it - 1)->get();
}

Status LocalShard::RollLocked() {
  Segment* last = segments_.back().get();
  const uint64_t first = last->next_counter;
  const std::string path = SegmentPath(first);
  ASSIGN_OR_RETURN(auto file, fs_.OpenWritable(path, /*truncate=*/false));
  RETURN_IF_ERROR(file->Sync());
  RETURN_IF_ERROR(fs_.SyncDir(dir_));
  auto seg = std::make_unique<Segment>();
  seg->first_counter = first;
  seg->next_counter = first;
  seg->path = path;
  seg->scanned = true;
  ASSIGN_OR_RETURN(auto reader, fs_.OpenRandomAccess(path));
  seg->file = std::move(reader);
  segments_.push_back(std::move(seg));
  writable_ = std::move(file);
  writable_path_ = path;
  return Status::OK();
}

Status LocalShard::ApplyRetentionLocked() {
  const int64_t horizon = clock_.NowMillis() - options_.retention_ms;
  bool removed = false;
  // A sealed segment expires when its last record is older than the horizon. The next segment's first
  // arrival bounds that cheaply (no scan); otherwise the segment is scanned. The active segment is never
  // deleted (a write rolls it once it has expired).
  while (segments_.size() > 1) {
    Segment* next = segments_[1].get();
    RETURN_IF_ERROR(EnsureFirstArrival(next));
    if (next->first_arrival_ms < 0 || next->first_arrival_ms >= horizon) {
      // Not conclusive (e.g. the segment was rolled because it expired): look at its own last record.
      Segment* front = segments_.front().get();
      RETURN_IF_ERROR(EnsureScanned(front));
      if (front->last_arrival_ms >= horizon) break;
    }
    RETURN_IF_ERROR(fs_.RemoveFile(segments_.front()->path));
    brewline::log::Info("stream_segment_expired", {{"segment", segments_.front()->path}});
    segments_.erase(segments_.begin());
    removed = true;
  }
  if (removed) RETURN_IF_ERROR(fs_.SyncDir(dir_));
  return Status::OK();
}

Status LocalShard::CorruptionError(const Segment& seg, uint64_t counter) const {
  std::string msg = "shard " + dir_ + ": record " + std::to_string(counter) + " is unreadable: segment " + seg.path;
  if (seg.corrupt.empty()) {
    msg += " is missing records";
  } else {
    for (const auto& c : seg.corrupt) {
      msg += " bytes [" + std::to_string(c.offset) + ", " + std::to_string(c.offset + c.bytes) + ") " + c.reason + ";";
    }
  }
  return Corruption(msg, "InternalFailureException");
}

}  // namespace brewline::stream
