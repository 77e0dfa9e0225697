// Kinesis semantics of LocalStream: puts, every iterator type, limits and their error names, lag numbers.
#include "stream/local_stream.h"

#include <gtest/gtest.h>

#include "stream/sequence.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

class LocalStreamTest : public ::testing::Test {
 protected:
  std::unique_ptr<LocalStream> Make(int shards, uint64_t segment_bytes = 64ull << 20) {
    StreamOptions opts;
    opts.shard_count = shards;
    opts.segment_bytes = segment_bytes;
    auto s = LocalStream::Create(PosixFileSystem::Get(), clock_, dir_.path(), "beers", opts);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }
  std::unique_ptr<LocalStream> Reopen(uint64_t segment_bytes = 64ull << 20) {
    StreamOptions opts;
    opts.segment_bytes = segment_bytes;
    auto s = LocalStream::Open(PosixFileSystem::Get(), clock_, dir_.path(), "beers", opts);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }
  std::vector<Record> ReadAll(LocalStream& s, const std::string& shard, IteratorType type = IteratorType::kTrimHorizon,
                              const std::string& seq = "", int64_t ts = 0, int limit = 10000) {
    IteratorRequest req{shard, type, seq, ts};
    auto it = s.GetShardIterator(req);
    EXPECT_TRUE(it.ok()) << it.status().ToString();
    std::vector<Record> out;
    std::string iter = *it;
    for (int i = 0; i < 1000; ++i) {
      auto r = s.GetRecords(iter, limit);
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      if (!r.ok() || r->records.empty()) break;
      for (auto& rec : r->records) out.push_back(rec);
      iter = r->next_shard_iterator;
    }
    return out;
  }

  testing::TempDir dir_;
  FakeClock clock_;
};

TEST_F(LocalStreamTest, PutThenReadBackInOrder) {
  auto s = Make(1);
  std::vector<std::string> seqs;
  for (int i = 0; i < 50; ++i) {
    auto r = s->PutRecord({"key" + std::to_string(i), "data-" + std::to_string(i), std::nullopt});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->shard_id, "shardId-000000000000");
    if (!seqs.empty()) {
      EXPECT_LT(seqs.back(), r->sequence_number);
    }
    seqs.push_back(r->sequence_number);
  }
  auto recs = ReadAll(*s, "shardId-000000000000");
  ASSERT_EQ(recs.size(), 50u);
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(recs[i].data, "data-" + std::to_string(i));
    EXPECT_EQ(recs[i].partition_key, "key" + std::to_string(i));
    EXPECT_EQ(recs[i].sequence_number, seqs[i]);
    EXPECT_EQ(recs[i].approximate_arrival_ms, clock_.NowMillis());
  }
  // Durable across reopen.
  s.reset();
  auto again = Reopen();
  EXPECT_EQ(ReadAll(*again, "shardId-000000000000").size(), 50u);
}

TEST_F(LocalStreamTest, IteratorTypes) {
  auto s = Make(1);
  std::vector<std::string> seqs;
  for (int i = 0; i < 10; ++i) {
    clock_.Advance(std::chrono::milliseconds(1000));
    auto r = s->PutRecord({"k", std::to_string(i), std::nullopt});
    ASSERT_TRUE(r.ok());
    seqs.push_back(r->sequence_number);
  }
  const std::string shard = "shardId-000000000000";
  EXPECT_EQ(ReadAll(*s, shard, IteratorType::kTrimHorizon).size(), 10u);
  EXPECT_EQ(ReadAll(*s, shard, IteratorType::kLatest).size(), 0u);
  auto at = ReadAll(*s, shard, IteratorType::kAtSequenceNumber, seqs[3]);
  ASSERT_EQ(at.size(), 7u);
  EXPECT_EQ(at[0].data, "3");
  auto after = ReadAll(*s, shard, IteratorType::kAfterSequenceNumber, seqs[3]);
  ASSERT_EQ(after.size(), 6u);
  EXPECT_EQ(after[0].data, "4");
  // Record i arrived at start + (i+1) s; AT_TIMESTAMP of record 5's arrival starts at record 5.
  const int64_t start = clock_.NowMillis() - 10000;
  auto ts = ReadAll(*s, shard, IteratorType::kAtTimestamp, "", start + 6000);
  ASSERT_EQ(ts.size(), 5u);
  EXPECT_EQ(ts[0].data, "5");
  EXPECT_EQ(ReadAll(*s, shard, IteratorType::kAtTimestamp, "", start + 5500)[0].data, "5");
  EXPECT_EQ(ReadAll(*s, shard, IteratorType::kAtTimestamp, "", 0).size(), 10u);
  EXPECT_EQ(ReadAll(*s, shard, IteratorType::kAtTimestamp, "", start + 99999).size(), 0u);

  // LATEST then a new put: the iterator sees only the new record.
  auto it = s->GetShardIterator({shard, IteratorType::kLatest, "", 0});
  ASSERT_TRUE(it.ok());
  ASSERT_TRUE(s->PutRecord({"k", "new", std::nullopt}).ok());
  auto r = s->GetRecords(*it, 100);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->records.size(), 1u);
  EXPECT_EQ(r->records[0].data, "new");
  EXPECT_EQ(r->millis_behind_latest, 0);
  EXPECT_FALSE(r->next_shard_iterator.empty());
}

TEST_F(LocalStreamTest, LimitAndMillisBehind) {
  auto s = Make(1);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(s->PutRecord({"k", std::to_string(i), std::nullopt}).ok());
  clock_.Advance(std::chrono::milliseconds(7000));
  auto it = s->GetShardIterator({"shardId-000000000000", IteratorType::kTrimHorizon, "", 0});
  ASSERT_TRUE(it.ok());
  auto r = s->GetRecords(*it, 5);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->records.size(), 5u);
  EXPECT_EQ(r->millis_behind_latest, 7000);
  auto r2 = s->GetRecords(r->next_shard_iterator, 100);
  ASSERT_TRUE(r2.ok());
  ASSERT_EQ(r2->records.size(), 15u);
  EXPECT_EQ(r2->records[0].data, "5");
  EXPECT_EQ(r2->millis_behind_latest, 0);
}

TEST_F(LocalStreamTest, ErrorsCarryKinesisNames) {
  auto s = Make(2);
  auto expect_type = [](const Status& st, const std::string& type) {
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(st.type(), type) << st.ToString();
  };
  expect_type(s->PutRecord({"", "x", std::nullopt}).status(), "ValidationException");
  expect_type(s->PutRecord({std::string(257, 'k'), "x", std::nullopt}).status(), "ValidationException");
  EXPECT_TRUE(s->PutRecord({std::string(256, 'k'), "x", std::nullopt}).ok());
  expect_type(s->PutRecord({"k", std::string((1 << 20), 'x'), std::nullopt}).status(), "ValidationException");
  EXPECT_TRUE(s->PutRecord({"k", std::string((1 << 20) - 1, 'x'), std::nullopt}).ok());
  expect_type(s->PutRecord({"k", "x", std::string("01")}).status(), "InvalidArgumentException");
  expect_type(s->PutRecord({"k", "x", std::string("340282366920938463463374607431768211456")}).status(),
              "InvalidArgumentException");
  EXPECT_TRUE(s->PutRecord({"k", "x", std::string("340282366920938463463374607431768211455")}).ok());
  expect_type(s->PutRecords({}).status(), "ValidationException");
  expect_type(s->PutRecords(std::vector<PutRecordInput>(501, {"k", "x", std::nullopt})).status(),
              "ValidationException");
  EXPECT_TRUE(s->PutRecords(std::vector<PutRecordInput>(500, {"k", "x", std::nullopt})).ok());
  expect_type(s->PutRecords(std::vector<PutRecordInput>(6, {"k", std::string(1000000, 'x'), std::nullopt})).status(),
              "InvalidArgumentException");
  expect_type(s->GetShardIterator({"shardId-000000000009", IteratorType::kLatest, "", 0}).status(),
              "ResourceNotFoundException");
  expect_type(s->GetShardIterator({"shardId-000000000000", IteratorType::kAtSequenceNumber, "12", 0}).status(),
              "InvalidArgumentException");
  // A sequence number of shard 1 on shard 0.
  expect_type(s->GetShardIterator({"shardId-000000000000", IteratorType::kAtSequenceNumber,
                                   FormatSequenceNumber(1, 0), 0}).status(),
              "InvalidArgumentException");
  auto it = s->GetShardIterator({"shardId-000000000000", IteratorType::kTrimHorizon, "", 0});
  ASSERT_TRUE(it.ok());
  expect_type(s->GetRecords(*it, 0).status(), "ValidationException");
  expect_type(s->GetRecords(*it, 10001).status(), "ValidationException");
  expect_type(s->GetRecords("garbage", 10).status(), "InvalidArgumentException");
  clock_.Advance(std::chrono::milliseconds(kIteratorLifetimeMs + 1));
  expect_type(s->GetRecords(*it, 10).status(), "ExpiredIteratorException");
  expect_type(LocalStream::Open(PosixFileSystem::Get(), clock_, dir_.path(), "nope").status(),
              "ResourceNotFoundException");
  expect_type(LocalStream::Create(PosixFileSystem::Get(), clock_, dir_.path(), "beers", {}).status(),
              "ResourceInUseException");
  expect_type(LocalStream::Create(PosixFileSystem::Get(), clock_, dir_.path(), "bad/name", {}).status(),
              "ValidationException");
}

TEST_F(LocalStreamTest, StatsAndRecordsAfter) {
  auto s = Make(2);
  std::vector<PutRecordInput> batch;
  for (int i = 0; i < 100; ++i) batch.push_back({"key-" + std::to_string(i), "d", std::nullopt});
  auto out = s->PutRecords(batch);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->failed_record_count, 0);
  auto stats = s->Stats();
  ASSERT_TRUE(stats.ok());
  ASSERT_EQ(stats->size(), 2u);
  uint64_t total = 0;
  for (const auto& st : *stats) {
    total += st.record_count;
    EXPECT_GT(st.record_count, 0u);
    EXPECT_EQ(st.latest_arrival_ms, clock_.NowMillis());
    auto after_first = s->RecordsAfter(st.shard_id, st.first_sequence_number);
    ASSERT_TRUE(after_first.ok());
    EXPECT_EQ(*after_first, st.record_count - 1);
    EXPECT_EQ(*s->RecordsAfter(st.shard_id, st.latest_sequence_number), 0u);
    EXPECT_EQ(*s->RecordsAfter(st.shard_id, ""), st.record_count);
  }
  EXPECT_EQ(total, 100u);
  auto names = ListStreams(PosixFileSystem::Get(), dir_.path());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"beers"});
}

TEST_F(LocalStreamTest, SegmentsRollAndRetentionDeletesWholeSegments) {
  auto s = Make(1, /*segment_bytes=*/4096);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(s->PutRecord({"k", std::string(200, 'a' + i % 26), std::nullopt}).ok());
  }
  auto stats = s->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].record_count, 100u);
  EXPECT_EQ(ReadAll(*s, "shardId-000000000000").size(), 100u);
  // Reads that seek into the middle of sealed segments use the index.
  auto seq50 = FormatSequenceNumber(0, 50);
  auto from50 = ReadAll(*s, "shardId-000000000000", IteratorType::kAtSequenceNumber, seq50);
  ASSERT_EQ(from50.size(), 50u);
  EXPECT_EQ(from50[0].sequence_number, seq50);
  // 25 h later, new writes expire everything older.
  clock_.Advance(std::chrono::hours(25));
  ASSERT_TRUE(s->PutRecord({"k", "fresh", std::nullopt}).ok());
  ASSERT_TRUE(s->PutRecord({"k", "fresh2", std::nullopt}).ok());
  s.reset();
  auto again = Reopen(4096);
  auto recs = ReadAll(*again, "shardId-000000000000");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].data, "fresh");
  EXPECT_EQ(recs[0].sequence_number, FormatSequenceNumber(0, 100));
}

}  // namespace
}  // namespace brewline::stream
