// LocalShard, phase 2: group-committed appends and reads. See shard.h for the locking protocol.
#include "stream/shard.h"

#include <algorithm>

#include "common/log.h"
#include "stream/entry.h"
#include "stream/log_reader.h"
#include "stream/log_writer.h"

namespace brewline::stream {
namespace {

// A leader stops adding queued writers to its group past this many bytes (one PutRecords is ≤ 5 MiB).
constexpr size_t kMaxGroupBytes = 8u << 20;
// Retention runs at most this often from the write path.
constexpr int64_t kRetentionCheckIntervalMs = 60 * 1000;
constexpr uint64_t kIndexInterval = 64 * 1024;

}  // namespace

LocalShard::LocalShard(FileSystem& fs, Clock& clock, std::string dir, int index, ShardOptions options)
    : fs_(fs), clock_(clock), dir_(std::move(dir)), index_(index), options_(options) {}

LocalShard::~LocalShard() = default;

Result<std::unique_ptr<LocalShard>> LocalShard::Open(FileSystem& fs, Clock& clock, std::string dir, int index,
                                                      ShardOptions options) {
  RETURN_IF_ERROR(fs.CreateDirs(dir));
  std::unique_ptr<LocalShard> shard(new LocalShard(fs, clock, std::move(dir), index, options));
  std::lock_guard<std::mutex> disk(shard->disk_mu_);
  ASSIGN_OR_RETURN(auto lock, fs.Lock(JoinPath(shard->dir_, "LOCK"), /*wait=*/true));
  std::lock_guard<std::mutex> state(shard->state_mu_);
  RETURN_IF_ERROR(shard->CatchUpLocked());
  RETURN_IF_ERROR(shard->ApplyRetentionLocked());
  shard->last_retention_check_ms_ = clock.NowMillis();
  return shard;
}

bool LocalShard::fenced() const {
  std::lock_guard<std::mutex> l(state_mu_);
  return fenced_;
}

void LocalShard::Submit(Writer* writer) {
  writer->bytes = 0;
  for (const auto& e : writer->entries) writer->bytes += e.partition_key.size() + e.data.size();
  std::lock_guard<std::mutex> l(queue_mu_);
  queue_.push_back(writer);
}

Status LocalShard::Await(Writer* writer) {
  std::unique_lock<std::mutex> l(queue_mu_);
  while (!writer->done) {
    if (leader_active_ || queue_.empty()) {
      queue_cv_.wait(l);
      continue;
    }
    // No leader: this thread writes the queue's head group, whoever's writers those are, so that a thread
    // waiting on several shards can never wait for a leader that is itself waiting elsewhere.
    leader_active_ = true;
    std::vector<Writer*> group;
    size_t bytes = 0;
    for (Writer* w : queue_) {
      if (!group.empty() && bytes + w->bytes > kMaxGroupBytes) break;
      group.push_back(w);
      bytes += w->bytes;
    }
    l.unlock();
    Status s = WriteGroup(group);
    l.lock();
    for (Writer* w : group) {
      w->status = s;
      w->done = true;
      queue_.pop_front();
    }
    leader_active_ = false;
    queue_cv_.notify_all();
  }
  return writer->status;
}

Status LocalShard::WriteGroup(const std::vector<Writer*>& group) {
  std::lock_guard<std::mutex> disk(disk_mu_);
  {
    std::lock_guard<std::mutex> state(state_mu_);
    if (fenced_) {
      return FailedPrecondition("shard " + dir_ + " refuses writes after an fsync failure; reopen the stream",
                                "InternalFailureException");
    }
  }
  ASSIGN_OR_RETURN(auto lock, fs_.Lock(JoinPath(dir_, "LOCK"), /*wait=*/true));
  Segment* last = nullptr;
  const int64_t now = clock_.NowMillis();
  {
    std::lock_guard<std::mutex> state(state_mu_);
    RETURN_IF_ERROR(CatchUpLocked());
    last = segments_.back().get();
    const bool expired = last->last_arrival_ms >= 0 && last->last_arrival_ms < now - options_.retention_ms;
    if (last->next_counter > last->first_counter && (last->size >= options_.segment_bytes || expired)) {
      RETURN_IF_ERROR(RollLocked());
      last = segments_.back().get();
    }
    if (now - last_retention_check_ms_ >= kRetentionCheckIntervalMs) {
      last_retention_check_ms_ = now;
      RETURN_IF_ERROR(ApplyRetentionLocked());
    }
  }
  // `last` is only replaced or removed under disk_mu_, which this thread holds.
  if (!writable_ || writable_path_ != last->path) {
    writable_.reset();
    ASSIGN_OR_RETURN(writable_, fs_.OpenWritable(last->path, /*truncate=*/false));
    writable_path_ = last->path;
  }
  // Arrival times never go backwards within a shard, so AT_TIMESTAMP can binary-search them.
  const int64_t arrival = std::max(now, last->last_arrival_ms);
  log::LogWriter writer(last->size);
  std::string buffer;
  std::string payload;
  std::vector<IndexEntry> new_index;
  uint64_t counter = last->next_counter;
  uint64_t last_indexed = last->index.empty() ? 0 : last->index.back().offset;
  bool have_index = !last->index.empty();
  for (Writer* w : group) {
    w->first_counter = counter;
    for (const EntryRef& e : w->entries) {
      EncodeEntry(counter, arrival, e.partition_key, e.data, &payload);
      const uint64_t offset = writer.AddRecord(payload, &buffer);
      if (!have_index || offset - last_indexed >= kIndexInterval) {
        new_index.push_back({counter, offset, arrival});
        last_indexed = offset;
        have_index = true;
      }
      ++counter;
    }
  }
  Status s = writable_->Append(buffer);
  if (!s.ok()) {
    // Leave no partial record behind (a full disk must not become a torn tail that hides later writes).
    writable_.reset();
    fs_.Truncate(last->path, last->size).IgnoreError();
    return Status(s.code(), "append to " + last->path + ": " + s.message(), "InternalFailureException");
  }
  s = writable_->Sync();
  if (!s.ok()) {
    // After a failed fsync the kernel may have dropped dirty pages: the file's contents are unknown, so
    // this shard takes no more writes until it is reopened (leveldb does the same).
    writable_.reset();
    fs_.Truncate(last->path, last->size).IgnoreError();
    std::lock_guard<std::mutex> state(state_mu_);
    fenced_ = true;
    brewline::log::Error("stream_shard_fenced", {{"shard", dir_}, {"error", s.message()}});
    return Status(s.code(), "fsync " + last->path + ": " + s.message() + " (shard refuses writes until reopened)",
                  "InternalFailureException");
  }
  std::lock_guard<std::mutex> state(state_mu_);
  if (last->first_arrival_ms < 0) last->first_arrival_ms = arrival;
  last->last_arrival_ms = arrival;
  last->size = writer.offset();
  last->scanned_end = last->size;
  last->next_counter = counter;
  last->index.insert(last->index.end(), new_index.begin(), new_index.end());
  return Status::OK();
}

Status LocalShard::CatchUp() {
  std::lock_guard<std::mutex> disk(disk_mu_);
  ASSIGN_OR_RETURN(auto lock, fs_.Lock(JoinPath(dir_, "LOCK"), /*wait=*/true));
  std::lock_guard<std::mutex> state(state_mu_);
  return CatchUpLocked();
}

ShardTip LocalShard::Tip() {
  std::lock_guard<std::mutex> state(state_mu_);
  ShardTip tip;
  tip.first_counter = segments_.front()->first_counter;
  tip.next_counter = segments_.back()->next_counter;
  for (const auto& seg : segments_) {
    if (seg->last_arrival_ms > tip.last_arrival_ms) tip.last_arrival_ms = seg->last_arrival_ms;
    tip.bytes += seg->scanned ? seg->scanned_end : fs_.FileSize(seg->path).value_or(0);
  }
  tip.segment_count = static_cast<int>(segments_.size());
  return tip;
}

Status LocalShard::Read(uint64_t from, int limit, size_t max_bytes, std::vector<StoredRecord>* out) {
  std::lock_guard<std::mutex> state(state_mu_);
  from = std::max(from, segments_.front()->first_counter);
  size_t bytes = 0;
  while (static_cast<int>(out->size()) < limit && bytes < max_bytes) {
    Segment* seg = FindSegment(from);
    if (seg == nullptr) break;
    RETURN_IF_ERROR(EnsureScanned(seg));
    const bool is_last = seg == segments_.back().get();
    if (from >= seg->next_counter) {
      if (is_last) break;  // at the tip
      // The counter lies past this segment's last record but before the next segment: lost to damage.
      if (out->empty()) return CorruptionError(*seg, from);
      break;
    }
    // Start at the last index entry at or before `from`.
    auto it = std::upper_bound(seg->index.begin(), seg->index.end(), from,
                               [](uint64_t c, const IndexEntry& e) { return c < e.counter; });
    const uint64_t start = (it == seg->index.begin()) ? 0 : (it - 1)->offset;
    struct Failed final : log::LogReader::Reporter {
      void Corruption(uint64_t, uint64_t, const std::string&) override { failed = true; }
      bool failed = false;
    } reporter;
    log::LogReader reader(seg->file.get(), &reporter, start, seg->size);
    std::string payload;
    uint64_t offset = 0;
    bool progressed = false;
    while (static_cast<int>(out->size()) < limit && bytes < max_bytes && reader.ReadRecord(&payload, &offset)) {
      EntryView entry;
      if (!DecodeEntry(payload, &entry)) continue;  // reported by the scan; the counter check below stops us
      if (entry.counter < from) continue;
      if (entry.counter > from) {
        if (out->empty()) return CorruptionError(*seg, from);
        return Status::OK();
      }
      out->push_back({entry.counter, entry.arrival_ms, std::string(entry.partition_key), std::string(entry.data)});
      bytes += entry.partition_key.size() + entry.data.size();
      ++from;
      progressed = true;
    }
    RETURN_IF_ERROR(reader.status());
    if (!progressed) {
      if (out->empty()) return CorruptionError(*seg, from);
      break;
    }
  }
  return Status::OK();
}

Result<uint64_t> LocalShard::CounterAtTimestamp(int64_t timestamp_ms) {
  std::lock_guard<std::mutex> state(state_mu_);
  // Arrival times increase through the segments: start at the last segment whose first record arrived
  // before the timestamp (reading only first records), then use that segment's sparse index.
  size_t first = 0;
  for (size_t i = segments_.size(); i-- > 0;) {
    RETURN_IF_ERROR(EnsureFirstArrival(segments_[i].get()));
    if (segments_[i]->first_arrival_ms >= 0 && segments_[i]->first_arrival_ms < timestamp_ms) {
      first = i;
      break;
    }
  }
  for (size_t i = first; i < segments_.size(); ++i) {
    Segment* seg = segments_[i].get();
    RETURN_IF_ERROR(EnsureScanned(seg));
    if (seg->last_arrival_ms < timestamp_ms) continue;
    auto it = std::lower_bound(seg->index.begin(), seg->index.end(), timestamp_ms,
                               [](const IndexEntry& e, int64_t ts) { return e.arrival_ms < ts; });
    const uint64_t start = (it == seg->index.begin()) ? 0 : (it - 1)->offset;
    log::LogReader reader(seg->file.get(), nullptr, start, seg->size);
    std::string payload;
    uint64_t offset = 0;
    while (reader.ReadRecord(&payload, &offset)) {
      EntryView entry;
      if (DecodeEntry(payload, &entry) && entry.arrival_ms >= timestamp_ms) return entry.counter;
    }
    RETURN_IF_ERROR(reader.status());
  }
  return segments_.back()->next_counter;
}

Status LocalShard::Verify() {
  std::lock_guard<std::mutex> state(state_mu_);
  std::string msg;
  for (const auto& seg : segments_) {
    RETURN_IF_ERROR(EnsureScanned(seg.get()));
    for (const auto& c : seg->corrupt) {
      msg += seg->path + " bytes [" + std::to_string(c.offset) + ", " + std::to_string(c.offset + c.bytes) + ") " +
             c.reason + "; ";
    }
  }
  if (!msg.empty()) return Corruption(msg);
  return Status::OK();
}

}  // namespace brewline::stream
