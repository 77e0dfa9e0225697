// Durability through the file-system seam: torn tails, mid-log corruption reported with its byte range,
// a full disk, fsync failure fencing, power loss, and group commit sharing syncs.
#include <gtest/gtest.h>

#include "stream/local_stream.h"
#include "stream/log_format.h"
#include "stream/sequence.h"
#include "stream/shard.h"
#include "testing/fault_injection_fs.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

class DurabilityTest : public ::testing::Test {
 protected:
  std::unique_ptr<LocalStream> Create(FileSystem& fs, uint64_t segment_bytes = 64ull << 20) {
    StreamOptions opts;
    opts.segment_bytes = segment_bytes;
    auto s = LocalStream::Create(fs, clock_, dir_.path(), "s", opts);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::unique_ptr<LocalStream> Open(FileSystem& fs, uint64_t segment_bytes = 64ull << 20) {
    StreamOptions opts;
    opts.segment_bytes = segment_bytes;
    auto s = LocalStream::Open(fs, clock_, dir_.path(), "s", opts);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::string SegmentPath(uint64_t first = 0) {
    char name[64];
    std::snprintf(name, sizeof(name), "%020llu.log", static_cast<unsigned long long>(first));
    return dir_.path() + "/streams/s/shardId-000000000000/" + name;
  }
  // Reads from TRIM_HORIZON until the end or an error; returns the records and the error (OK if none).
  Status ReadAll(LocalStream& s, std::vector<Record>* out) {
    auto it = s.GetShardIterator({"shardId-000000000000", IteratorType::kTrimHorizon, "", 0});
    if (!it.ok()) return it.status();
    std::string iter = *it;
    for (int i = 0; i < 10000; ++i) {
      auto r = s.GetRecords(iter, 100);
      if (!r.ok()) return r.status();
      if (r->records.empty()) return Status::OK();
      out->insert(out->end(), r->records.begin(), r->records.end());
      iter = r->next_shard_iterator;
    }
    return Status::OK();
  }
  void Rewrite(const std::string& path, const std::function<void(std::string*)>& edit) {
    auto content = PosixFileSystem::Get().ReadFile(path);
    ASSERT_TRUE(content.ok());
    std::string c = *content;
    edit(&c);
    auto f = PosixFileSystem::Get().OpenWritable(path, /*truncate=*/true);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append(c).ok());
  }

  testing::TempDir dir_;
  FakeClock clock_;
};

TEST_F(DurabilityTest, TornTailIsTruncatedOnOpen) {
  auto s = Create(PosixFileSystem::Get());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(s->PutRecord({"k", "record-" + std::to_string(i), std::nullopt}).ok());
  s.reset();
  const uint64_t good = *PosixFileSystem::Get().FileSize(SegmentPath());
  // A writer died mid-append: a header promising more bytes than made it to disk.
  Rewrite(SegmentPath(), [](std::string* c) { c->append("\x11\x22\x33\x44\xff\x00\x01partial", 14); });
  auto again = Open(PosixFileSystem::Get());
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(*PosixFileSystem::Get().FileSize(SegmentPath()), good);
  ASSERT_TRUE(again->Verify().ok());
  auto r = again->PutRecord({"k", "after", std::nullopt});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sequence_number, FormatSequenceNumber(0, 10));
  std::vector<Record> recs;
  ASSERT_TRUE(ReadAll(*again, &recs).ok());
  ASSERT_EQ(recs.size(), 11u);
  EXPECT_EQ(recs[10].data, "after");
}

TEST_F(DurabilityTest, ZerosAtTheTailAreTruncated) {
  auto s = Create(PosixFileSystem::Get());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(s->PutRecord({"k", "r", std::nullopt}).ok());
  s.reset();
  Rewrite(SegmentPath(), [](std::string* c) { c->append(std::string(10000, '\0')); });
  auto again = Open(PosixFileSystem::Get());
  std::vector<Record> recs;
  ASSERT_TRUE(ReadAll(*again, &recs).ok());
  EXPECT_EQ(recs.size(), 3u);
  EXPECT_TRUE(again->Verify().ok());
}

TEST_F(DurabilityTest, MidLogCorruptionIsReportedWithItsByteRangeNeverSkipped) {
  auto s = Create(PosixFileSystem::Get());
  std::vector<PutRecordInput> batch;
  for (int i = 0; i < 400; ++i) batch.push_back({"k", std::string(500, 'a' + i % 26), std::nullopt});
  ASSERT_EQ(s->PutRecords(batch)->failed_record_count, 0);
  s.reset();
  Rewrite(SegmentPath(), [](std::string* c) { (*c)[log::kBlockSize + 1000] ^= 0x5a; });  // block 1
  auto again = Open(PosixFileSystem::Get());
  ASSERT_NE(again, nullptr);
  Status v = again->Verify();
  EXPECT_EQ(v.code(), StatusCode::kCorruption);
  // The damaged record's start, to the end of its block (the length may be corrupt too).
  EXPECT_NE(v.message().find(", " + std::to_string(2 * log::kBlockSize) + ") checksum mismatch"), std::string::npos)
      << v.message();
  std::vector<Record> recs;
  Status read = ReadAll(*again, &recs);
  EXPECT_EQ(read.code(), StatusCode::kCorruption) << read.ToString();
  EXPECT_NE(read.message().find("bytes ["), std::string::npos) << read.message();
  // Everything before the damaged block was returned, in order; nothing after it was silently returned.
  ASSERT_FALSE(recs.empty());
  EXPECT_LT(recs.size(), 400u);
  for (size_t i = 0; i < recs.size(); ++i) EXPECT_EQ(recs[i].sequence_number, FormatSequenceNumber(0, i));
  // Records after the damage stay reachable by sequence number, and the shard still takes writes.
  auto it = again->GetShardIterator({"shardId-000000000000", IteratorType::kAtSequenceNumber,
                                     FormatSequenceNumber(0, 399), 0});
  ASSERT_TRUE(it.ok());
  auto tail = again->GetRecords(*it, 10);
  ASSERT_TRUE(tail.ok()) << tail.status().ToString();
  ASSERT_EQ(tail->records.size(), 1u);
  EXPECT_TRUE(again->PutRecord({"k", "more", std::nullopt}).ok());
}

TEST_F(DurabilityTest, ZeroedBlockInASealedSegmentIsReported) {
  auto s = Create(PosixFileSystem::Get(), /*segment_bytes=*/100000);
  for (int b = 0; b < 6; ++b) {
    ASSERT_EQ(s->PutRecords(std::vector<PutRecordInput>(100, {"k", std::string(400, 'z'), std::nullopt}))
                  ->failed_record_count,
              0);
  }
  s.reset();
  Rewrite(SegmentPath(0), [](std::string* c) {
    for (size_t i = log::kBlockSize; i < 2 * log::kBlockSize; ++i) (*c)[i] = 0;
  });
  auto again = Open(PosixFileSystem::Get(), 100000);
  Status v = again->Verify();
  EXPECT_EQ(v.code(), StatusCode::kCorruption);
  EXPECT_NE(v.message().find("zeroed block"), std::string::npos) << v.message();
  std::vector<Record> recs;
  EXPECT_EQ(ReadAll(*again, &recs).code(), StatusCode::kCorruption);
}

TEST_F(DurabilityTest, FullDiskFailsClearlyLosesNothingAndRecovers) {
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  auto s = Create(fs);
  std::vector<std::string> acked;
  for (int i = 0; i < 20; ++i) {
    auto r = s->PutRecord({"k", "ok-" + std::to_string(i), std::nullopt});
    ASSERT_TRUE(r.ok());
    acked.push_back("ok-" + std::to_string(i));
  }
  fs.SetFreeBytes(100);
  auto full = s->PutRecord({"k", std::string(1000, 'x'), std::nullopt});
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(full.status().message().find("No space left on device"), std::string::npos) << full.status().ToString();
  auto batch = s->PutRecords(std::vector<PutRecordInput>(5, {"k", std::string(1000, 'y'), std::nullopt}));
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->failed_record_count, 5);
  EXPECT_EQ(batch->records[0].error_code, "InternalFailure");
  // Space is freed: writes resume on the same stream object.
  fs.SetFreeBytes(std::nullopt);
  for (int i = 0; i < 5; ++i) {
    auto r = s->PutRecord({"k", "later-" + std::to_string(i), std::nullopt});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    acked.push_back("later-" + std::to_string(i));
  }
  s.reset();
  auto again = Open(PosixFileSystem::Get());
  std::vector<Record> recs;
  ASSERT_TRUE(ReadAll(*again, &recs).ok());
  ASSERT_EQ(recs.size(), acked.size());
  for (size_t i = 0; i < acked.size(); ++i) {
    EXPECT_EQ(recs[i].data, acked[i]);
    EXPECT_EQ(recs[i].sequence_number, FormatSequenceNumber(0, i));  // no gap left by the failed puts
  }
  EXPECT_TRUE(again->Verify().ok());
}

TEST_F(DurabilityTest, FsyncFailureFencesTheShardUntilReopened) {
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  auto s = Create(fs);
  ASSERT_TRUE(s->PutRecord({"k", "before", std::nullopt}).ok());
  fs.SetSyncFails(true);
  auto failed = s->PutRecord({"k", "during", std::nullopt});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  fs.SetSyncFails(false);
  auto fenced = s->PutRecord({"k", "after-fix", std::nullopt});
  ASSERT_FALSE(fenced.ok());
  EXPECT_EQ(fenced.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(fenced.status().message().find("reopen"), std::string::npos);
  s.reset();
  auto again = Open(fs);
  ASSERT_TRUE(again->PutRecord({"k", "reopened", std::nullopt}).ok());
  std::vector<Record> recs;
  ASSERT_TRUE(ReadAll(*again, &recs).ok());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].data, "before");
  EXPECT_EQ(recs[1].data, "reopened");
}

TEST_F(DurabilityTest, PowerLossKeepsEveryAcknowledgedRecord) {
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  auto s = Create(fs, /*segment_bytes=*/8192);
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(s->PutRecord({"k", std::string(300, 'p'), std::nullopt}).ok());
  s.reset();
  ASSERT_TRUE(fs.DropUnsyncedData().ok());
  auto again = Open(PosixFileSystem::Get(), 8192);
  std::vector<Record> recs;
  ASSERT_TRUE(ReadAll(*again, &recs).ok());
  EXPECT_EQ(recs.size(), 40u);
}

TEST_F(DurabilityTest, GroupCommitSharesOneSyncBetweenQueuedWriters) {
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  auto shard = LocalShard::Open(fs, clock_, dir_.Join("shard"), 0, ShardOptions{});
  ASSERT_TRUE(shard.ok());
  LocalShard::Writer w1, w2, w3;
  w1.entries = {{"a", "1"}, {"a", "2"}};
  w2.entries = {{"b", "3"}};
  w3.entries = {{"c", "4"}, {"c", "5"}};
  const uint64_t syncs_before = fs.sync_count();
  (*shard)->Submit(&w1);
  (*shard)->Submit(&w2);
  (*shard)->Submit(&w3);
  // This thread leads and writes all three queued writers with one append and one fdatasync.
  ASSERT_TRUE((*shard)->Await(&w1).ok());
  ASSERT_TRUE((*shard)->Await(&w2).ok());
  ASSERT_TRUE((*shard)->Await(&w3).ok());
  EXPECT_EQ(fs.sync_count() - syncs_before, 1u);
  EXPECT_EQ(w1.first_counter, 0u);
  EXPECT_EQ(w2.first_counter, 2u);
  EXPECT_EQ(w3.first_counter, 3u);
  std::vector<StoredRecord> out;
  ASSERT_TRUE((*shard)->Read(0, 100, 1 << 20, &out).ok());
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[4].data, "5");
}

TEST_F(DurabilityTest, ConcurrentPutsFromManyThreadsAreAllDurableAndOrdered) {
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  StreamOptions opts;
  opts.shard_count = 2;
  auto s = LocalStream::Create(fs, clock_, dir_.path(), "s", opts);
  ASSERT_TRUE(s.ok());
  const int kThreads = 6, kPuts = 40;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPuts; ++i) {
        if (!(*s)->PutRecord({"t" + std::to_string(t) + "-" + std::to_string(i), "x", std::nullopt}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  // Puts never need more syncs than there were puts (they are shared whenever writers overlap).
  EXPECT_LE(fs.sync_count(), static_cast<uint64_t>(kThreads * kPuts) + 4);
  auto stats = (*s)->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].record_count + (*stats)[1].record_count, static_cast<uint64_t>(kThreads * kPuts));
}

}  // namespace
}  // namespace brewline::stream
