// LocalShard: one shard of a local stream — a directory of segment files (log_format.h) with group commit,
// a sparse in-memory index, cross-process locking and retention.
//
// On disk: <shard dir>/<first counter, 20 digits>.log segments and a LOCK file. Any process that appends, rolls
// a segment, truncates a torn tail or deletes expired segments holds an exclusive flock on LOCK for the whole
// change, and a writer syncs before it releases the lock; so whenever LOCK is free the files hold only durable,
// complete records (or the torn tail of a writer that died, which the next holder truncates). Readers take the
// lock briefly to catch up with other processes (CatchUp), so they never see a record before it is durable.
//
// Records carry a dense per-shard counter (the sequence number encodes it). Within one process, concurrent
// appenders queue up; whichever waiter finds no leader becomes the leader and writes the whole queue with one
// append and one fdatasync (group commit). After an fsync failure the shard is fenced: every later append
// fails until the stream is reopened (the file's state is unknown).
//
// Methods are split by phase: shard.cc (append, read), shard_scan.cc (discovery, scanning, retention).
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"

namespace brewline::stream {

struct ShardOptions {
  uint64_t segment_bytes = 64ull << 20;  // roll to a new segment past this size
  int64_t retention_ms = 24ll * 3600 * 1000;
};

// A record to append; views into the caller's data, valid until Await returns.
struct EntryRef {
  std::string_view partition_key;
  std::string_view data;
};

struct StoredRecord {
  uint64_t counter = 0;
  int64_t arrival_ms = 0;
  std::string partition_key;
  std::string data;
};

// What a shard holds right now (after a CatchUp when asked for from another process).
struct ShardTip {
  uint64_t first_counter = 0;  // the oldest retained record (== next_counter when empty)
  uint64_t next_counter = 0;   // the counter the next record will get
  int64_t last_arrival_ms = 0;  // 0 when the shard has never held a record
  uint64_t bytes = 0;           // segment bytes on disk
  int segment_count = 0;
};

class LocalShard {
 public:
  // A pending append. Owned by the caller; must stay alive until Await returns.
  struct Writer {
    std::vector<EntryRef> entries;
    size_t bytes = 0;
    bool done = false;            // guarded by the shard's queue mutex
    Status status;
    uint64_t first_counter = 0;   // entries got first_counter, first_counter+1, …
  };

  // Opens (creating the first segment if the directory has none) and recovers the last segment.
  static Result<std::unique_ptr<LocalShard>> Open(FileSystem& fs, Clock& clock, std::string dir, int index,
                                                  ShardOptions options);
  ~LocalShard();
  LocalShard(const LocalShard&) = delete;
  LocalShard& operator=(const LocalShard&) = delete;

  int index() const { return index_; }

  // Queues `writer`; Await makes it durable (possibly as part of another thread's group).
  void Submit(Writer* writer);
  Status Await(Writer* writer);

  // Reads records with counter ≥ from (clamped to the oldest retained), at most `limit` records and about
  // `max_bytes` bytes. Damaged data in the way yields Corruption with the segment and byte range (records
  // before it are returned first). Does not catch up with other processes: call CatchUp when at the tip.
  Status Read(uint64_t from, int limit, size_t max_bytes, std::vector<StoredRecord>* out);
  // The counter of the first record that arrived at or after `timestamp_ms` (next_counter if none).
  Result<uint64_t> CounterAtTimestamp(int64_t timestamp_ms);
  // Takes the shard lock and picks up what other processes appended, rolled or deleted.
  Status CatchUp();
  ShardTip Tip();
  // Scans every segment; Corruption listing each damaged byte range, OK if none.
  Status Verify();
  bool fenced() const;

 private:
  struct IndexEntry {
    uint64_t counter;
    uint64_t offset;
    int64_t arrival_ms;
  };
  struct CorruptRange {
    uint64_t offset;
    uint64_t bytes;
    std::string reason;
  };
  struct Segment {
    uint64_t first_counter = 0;   // from the file name
    std::string path;
    uint64_t size = 0;            // bytes scanned (all complete, durable records)
    uint64_t scanned_end = 0;     // file length the last scan reached (≥ size when the tail is damaged)
    bool scanned = false;         // index covers [0, size)
    uint64_t next_counter = 0;    // after the last scanned record
    int64_t first_arrival_ms = -1;  // -1: unknown yet
    int64_t last_arrival_ms = -1;
    std::vector<IndexEntry> index;  // sparse, by offset; an entry at every counter gap
    std::vector<CorruptRange> corrupt;
    std::shared_ptr<RandomAccessFile> file;
  };

  LocalShard(FileSystem& fs, Clock& clock, std::string dir, int index, ShardOptions options);

  // shard_scan.cc — all with state_mu_ held; those marked Locked also need disk_mu_ and the flock.
  Status CatchUpLocked();
  Status ScanSegment(Segment* seg, bool is_last, bool may_truncate);
  Status EnsureScanned(Segment* seg);
  Status EnsureFirstArrival(Segment* seg);
  Status ApplyRetentionLocked();
  Status RollLocked();
  Segment* FindSegment(uint64_t counter);
  std::string SegmentPath(uint64_t first_counter) const;
  Status CorruptionError(const Segment& seg, uint64_t counter) const;

  // shard.cc
  Status WriteGroup(const std::vector<Writer*>& group);

  FileSystem& fs_;
  Clock& clock_;
  const std::string dir_;
  const int index_;
  const ShardOptions options_;

  // Writers waiting for group commit.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Writer*> queue_;
  bool leader_active_ = false;

  // Serialises the holders of the flock within this process; taken before state_mu_.
  std::mutex disk_mu_;
  std::unique_ptr<WritableFile> writable_;  // the last segment, opened for append (guarded by disk_mu_)
  std::string writable_path_;
  int64_t last_retention_check_ms_ = 0;

  // The segment list and indexes.
  mutable std::mutex state_mu_;
  std::vector<std::unique_ptr<Segment>> segments_;  // by first_counter; the last is the active one
  bool fenced_ = false;
};

}  // namespace brewline::stream
