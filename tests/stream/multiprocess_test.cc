// Processes: a writer killed with SIGKILL at random instants loses nothing it acknowledged; two processes
// putting at once share the log without corrupting it; a reader in another process sees new durable records.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "stream/local_stream.h"
#include "stream/sequence.h"
#include "stream_test_data.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

struct Ack {
  std::string id;
  std::string shard;
  std::string seq;
};

std::string WriterBinary() { return testing::BinaryDir() + "/tests/stream/stream_crash_writer"; }

// Complete lines only: a line cut by the kill was never fully reported.
std::vector<Ack> ReadAcks(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::vector<Ack> out;
  size_t start = 0;
  while (true) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) break;
    std::istringstream line(text.substr(start, nl - start));
    Ack a;
    line >> a.id >> a.shard >> a.seq;
    out.push_back(a);
    start = nl + 1;
  }
  return out;
}

struct Stored {
  std::string shard;
  std::string seq;
  std::string data;
};

// Reads every shard to the end; fails the test on duplicates or out-of-order sequence numbers.
std::map<std::string, Stored> ReadEverything(LocalStream& s) {
  std::map<std::string, Stored> by_id;
  auto shards = s.ListShards();
  EXPECT_TRUE(shards.ok());
  for (const auto& shard : *shards) {
    auto it = s.GetShardIterator({shard.shard_id, IteratorType::kTrimHorizon, "", 0});
    EXPECT_TRUE(it.ok()) << it.status().ToString();
    std::string iter = *it;
    std::string last_seq;
    for (int i = 0; i < 100000; ++i) {
      auto r = s.GetRecords(iter, 10000);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (!r.ok() || r->records.empty()) break;
      for (auto& rec : r->records) {
        EXPECT_LT(last_seq, rec.sequence_number);
        last_seq = rec.sequence_number;
        EXPECT_EQ(by_id.count(rec.partition_key), 0u) << "duplicate " << rec.partition_key;
        by_id[rec.partition_key] = {shard.shard_id, rec.sequence_number, rec.data};
      }
      iter = r->next_shard_iterator;
    }
  }
  return by_id;
}

class MultiProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StreamOptions opts;
    opts.shard_count = 2;
    auto s = LocalStream::Create(PosixFileSystem::Get(), SystemClock::Get(), dir_.path(), "crash", opts);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
  }
  std::unique_ptr<LocalStream> Open() {
    StreamOptions opts;
    opts.segment_bytes = kSegmentBytes;
    auto s = LocalStream::Open(PosixFileSystem::Get(), SystemClock::Get(), dir_.path(), "crash", opts);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  static constexpr uint64_t kSegmentBytes = 256 * 1024;  // small, so cycles also cross segment rolls
  testing::TempDir dir_;
};

TEST_F(MultiProcessTest, SigkillAtRandomInstantsLosesNoAcknowledgedRecord) {
  std::mt19937 rng(20261127);
  std::vector<Ack> all_acks;
  const int kCycles = 16;
  int killed_mid_write = 0;
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    const std::string out = dir_.Join("acks-" + std::to_string(cycle));
    testing::ChildProcess child({WriterBinary(), dir_.path(), "crash", "c" + std::to_string(cycle), "2", "100000",
                                 std::to_string(kSegmentBytes)},
                                out, dir_.Join("err-" + std::to_string(cycle)));
    // Kill once the writer is acknowledging, at a random instant after that.
    for (int i = 0; i < 1000 && ReadAcks(out).empty() && child.running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 60)(rng)));
    const bool was_running = child.running();
    child.Signal(SIGKILL);
    const int rc = child.Wait(std::chrono::seconds(20));
    ASSERT_TRUE(!was_running || rc == -SIGKILL) << "writer exited with " << rc;
    if (was_running) ++killed_mid_write;
    auto acks = ReadAcks(out);
    EXPECT_FALSE(acks.empty()) << "cycle " << cycle << " acknowledged nothing";
    all_acks.insert(all_acks.end(), acks.begin(), acks.end());

    auto s = Open();
    ASSERT_NE(s, nullptr);
    auto stored = ReadEverything(*s);
    for (const auto& a : all_acks) {
      auto it = stored.find(a.id);
      ASSERT_NE(it, stored.end()) << "acknowledged record " << a.id << " lost after cycle " << cycle;
      EXPECT_EQ(it->second.shard, a.shard);
      EXPECT_EQ(it->second.seq, a.seq);
      ASSERT_EQ(it->second.data, testdata::RecordData(a.id)) << a.id;
    }
    // Unacknowledged records may have survived (they were durable but the ack was not printed); all of
    // them must still be intact.
    for (const auto& [id, rec] : stored) ASSERT_EQ(rec.data, testdata::RecordData(id)) << id;
    ASSERT_TRUE(s->Verify().ok()) << s->Verify().ToString();
  }
  EXPECT_GT(killed_mid_write, kCycles / 2);
}

TEST_F(MultiProcessTest, TwoProcessesPutConcurrentlyAndAReaderSeesThem) {
  auto reader = Open();
  ASSERT_NE(reader, nullptr);
  // A LATEST iterator taken before anything was written, in this (third) process.
  auto latest = reader->GetShardIterator({"shardId-000000000000", IteratorType::kLatest, "", 0});
  ASSERT_TRUE(latest.ok());
  testing::ChildProcess a({WriterBinary(), dir_.path(), "crash", "A", "2", "40", std::to_string(kSegmentBytes)},
                          dir_.Join("acks-a"), dir_.Join("err-a"));
  testing::ChildProcess b({WriterBinary(), dir_.path(), "crash", "B", "2", "40", std::to_string(kSegmentBytes)},
                          dir_.Join("acks-b"), dir_.Join("err-b"));
  ASSERT_EQ(a.Wait(std::chrono::seconds(60)), 0);
  ASSERT_EQ(b.Wait(std::chrono::seconds(60)), 0);
  auto acks = ReadAcks(dir_.Join("acks-a"));
  auto acks_b = ReadAcks(dir_.Join("acks-b"));
  acks.insert(acks.end(), acks_b.begin(), acks_b.end());
  ASSERT_GT(acks.size(), 100u);

  // The reader opened before the writes sees every record without reopening.
  auto stored = ReadEverything(*reader);
  EXPECT_EQ(stored.size(), acks.size());
  std::set<std::string> seqs;
  for (const auto& a : acks) {
    auto it = stored.find(a.id);
    ASSERT_NE(it, stored.end()) << a.id;
    EXPECT_EQ(it->second.seq, a.seq);
    EXPECT_EQ(it->second.data, testdata::RecordData(a.id));
    EXPECT_TRUE(seqs.insert(a.seq).second) << "sequence number handed out twice: " << a.seq;
  }
  auto r = reader->GetRecords(*latest, 10000);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->records.empty());
  auto stats = reader->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].record_count + (*stats)[1].record_count, acks.size());
  EXPECT_TRUE(reader->Verify().ok());
}

}  // namespace
}  // namespace brewline::stream
