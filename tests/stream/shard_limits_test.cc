// Kinesis's per-shard throughput limits in LocalStream, on a FakeClock: exact counts, no sleeping.
#include "stream/shard_limits.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "stream/batch_putter.h"
#include "stream/hash_key.h"
#include "stream/local_stream.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

using std::chrono::milliseconds;

constexpr const char* kThrottle = "ProvisionedThroughputExceededException";

// A key that routes to shard `shard` of `shards` (explicit hash key at the start of its range).
PutRecordInput To(int shard, int shards, std::string data = "x") {
  PutRecordInput in{"k", std::move(data), HashKeyToString(EvenHashKeyRanges(shards)[static_cast<size_t>(shard)].start)};
  return in;
}

class ShardLimitsTest : public ::testing::Test {
 protected:
  std::unique_ptr<LocalStream> Make(int shards, ShardLimits limits = ShardLimits::Kinesis()) {
    StreamOptions opts;
    opts.shard_count = shards;
    opts.limits = limits;
    opts.metrics = &metrics_;
    auto s = LocalStream::Create(PosixFileSystem::Get(), clock_, dir_.path(), "beers", opts);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }
  uint64_t Throttled(const std::string& shard, const std::string& op) {
    return metrics_.GetCounter("brewline_stream_throttled_total", "", {{"stream", "beers"}, {"shard", shard}, {"op", op}})
        .value();
  }
  // PutRecords in batches of 500 of `n` records to `shard`; returns how many were accepted.
  int PutMany(LocalStream& s, int n, int shard, int shards, std::string data = "x") {
    int accepted = 0;
    while (n > 0) {
      std::vector<PutRecordInput> batch(static_cast<size_t>(std::min(n, 500)), To(shard, shards, data));
      auto out = s.PutRecords(batch);
      EXPECT_TRUE(out.ok()) << out.status().ToString();
      if (!out.ok()) return accepted;
      accepted += static_cast<int>(batch.size()) - out->failed_record_count;
      n -= static_cast<int>(batch.size());
    }
    return accepted;
  }
  std::string Iterator(LocalStream& s, const std::string& shard) {
    auto it = s.GetShardIterator({shard, IteratorType::kTrimHorizon, "", 0});
    EXPECT_TRUE(it.ok()) << it.status().ToString();
    return it.ok() ? *it : "";
  }

  testing::TempDir dir_;
  FakeClock clock_;
  MetricsRegistry metrics_;
};

TEST(ShardLimitsParseTest, NamesAndValues) {
  const ShardLimits k = ShardLimits::Kinesis();
  EXPECT_EQ(k.write_records_per_second, 1000);
  EXPECT_EQ(k.write_bytes_per_second, 1 << 20);
  EXPECT_EQ(k.read_calls_per_second, 5);
  EXPECT_EQ(k.read_bytes_per_second, 2 << 20);
  EXPECT_TRUE(ShardLimits::Unlimited().unlimited());
  EXPECT_EQ(*ParseShardLimits("kinesis"), k);
  EXPECT_EQ(*ParseShardLimits("unlimited"), ShardLimits::Unlimited());
  EXPECT_EQ(ParseShardLimits("Kinesis ").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ShardLimitsName(k), "kinesis");
  EXPECT_EQ(ShardLimitsName(ShardLimits::Unlimited()), "unlimited");
  ShardLimits custom;
  custom.read_calls_per_second = 1;
  EXPECT_EQ(ShardLimitsName(custom), "custom");
}

TEST(TokenBucketTest, RefillsContinuouslyUpToOneSecond) {
  TokenBucket b(1000, 0);
  EXPECT_FALSE(b.TryTake(1001, 0));  // capacity is one second's worth
  EXPECT_TRUE(b.TryTake(1000, 0));
  EXPECT_FALSE(b.TryTake(1, 0));
  EXPECT_FALSE(b.TryTake(1, 999999));  // 0.999 of a token after 999,999 ns
  EXPECT_TRUE(b.TryTake(1, 1000000));  // exactly one after 1 ms
  EXPECT_TRUE(b.TryTake(1000, 10'000'000'000));  // a long idle refills to the cap, not beyond
  EXPECT_FALSE(b.TryTake(1, 10'000'000'000));
  b.Charge(500, 10'000'000'000);  // debt
  EXPECT_FALSE(b.Has(0, 10'400'000'000));
  EXPECT_TRUE(b.Has(0, 10'500'000'000));
  EXPECT_TRUE(TokenBucket().TryTake(INT64_MAX / 2, 0));  // unlimited
}

TEST_F(ShardLimitsTest, ThousandRecordsPerSecondThenPartialFailureWhileOtherShardsAccept) {
  auto s = Make(2);
  EXPECT_EQ(PutMany(*s, 1000, 0, 2), 1000);
  // The 1,001st record for shard 0 in the same second fails; shard 1's records in the same call succeed.
  std::vector<PutRecordInput> batch = {To(0, 2), To(1, 2), To(0, 2), To(1, 2)};
  auto out = s->PutRecords(batch);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->failed_record_count, 2);
  for (int i : {0, 2}) {
    EXPECT_EQ(out->records[i].error_code, kThrottle);
    EXPECT_EQ(out->records[i].error_message,
              "Rate exceeded for shard shardId-000000000000 in stream beers under account 000000000000.");
    EXPECT_TRUE(out->records[i].sequence_number.empty());
  }
  for (int i : {1, 3}) {
    EXPECT_TRUE(out->records[i].ok()) << out->records[i].error_message;
    EXPECT_EQ(out->records[i].shard_id, "shardId-000000000001");
  }
  EXPECT_EQ(Throttled("shardId-000000000000", "PutRecords"), 2u);
  EXPECT_EQ(Throttled("shardId-000000000001", "PutRecords"), 0u);
  auto stats = s->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].record_count, 1000u);  // the rejected records were not written
  EXPECT_EQ((*stats)[0].write_throttled, 2u);
  EXPECT_EQ((*stats)[1].write_throttled, 0u);
}

TEST_F(ShardLimitsTest, AllowanceRefillsContinuously) {
  auto s = Make(1);
  EXPECT_EQ(PutMany(*s, 1000, 0, 1), 1000);
  EXPECT_EQ(PutMany(*s, 1, 0, 1), 0);
  clock_.Advance(milliseconds(250));
  EXPECT_EQ(PutMany(*s, 400, 0, 1), 250);  // a quarter second refills a quarter of the allowance
  clock_.Advance(milliseconds(5000));
  EXPECT_EQ(PutMany(*s, 1500, 0, 1), 1000);  // idle time refills to one second's worth, no more
}

TEST_F(ShardLimitsTest, BytesLimitAndAFullMiBRecordOnAnIdleShard) {
  auto s = Make(1);
  // One record of exactly 1 MiB (key + data) fits an idle shard…
  PutRecordInput big{"k", std::string((1u << 20) - 1, 'b'), std::nullopt};
  auto first = s->PutRecord(big);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // …and uses up the second's bytes: even a tiny record is now rejected, though few records were written.
  EXPECT_EQ(s->PutRecord({"k", "x", std::nullopt}).status().type(), kThrottle);
  clock_.Advance(milliseconds(500));
  // Half a second refills 512 KiB: a 300 KB record fits, a second one does not.
  EXPECT_TRUE(s->PutRecord({"k", std::string(300000, 'm'), std::nullopt}).ok());
  EXPECT_EQ(s->PutRecord({"k", std::string(300000, 'm'), std::nullopt}).status().type(), kThrottle);
  EXPECT_EQ(Throttled("shardId-000000000000", "PutRecord"), 2u);
}

TEST_F(ShardLimitsTest, PutRecordFailsTheWholeCallRetryably) {
  auto s = Make(1);
  EXPECT_EQ(PutMany(*s, 1000, 0, 1), 1000);
  auto r = s->PutRecord({"k", "x", std::nullopt});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().type(), kThrottle);
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(r.status().IsRetryable());
  clock_.Advance(milliseconds(1));
  EXPECT_TRUE(s->PutRecord({"k", "x", std::nullopt}).ok());
}

TEST_F(ShardLimitsTest, SixthGetRecordsInASecondFailsThenSucceedsLater) {
  auto s = Make(2);
  ASSERT_TRUE(s->PutRecord(To(0, 2, "hello")).ok());
  std::string it = Iterator(*s, "shardId-000000000000");
  for (int i = 0; i < 5; ++i) {
    auto r = s->GetRecords(it, 100);
    ASSERT_TRUE(r.ok()) << i << ": " << r.status().ToString();
    it = r->next_shard_iterator;
  }
  auto sixth = s->GetRecords(it, 100);
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.status().type(), kThrottle);
  EXPECT_EQ(sixth.status().code(), StatusCode::kResourceExhausted);
  // The other shard has its own allowance.
  EXPECT_TRUE(s->GetRecords(Iterator(*s, "shardId-000000000001"), 100).ok());
  clock_.Advance(milliseconds(200));  // one call's worth
  EXPECT_TRUE(s->GetRecords(it, 100).ok());  // the rejected call's iterator is still good
  EXPECT_FALSE(s->GetRecords(it, 100).ok());
  EXPECT_EQ(Throttled("shardId-000000000000", "GetRecords"), 2u);
  auto stats = s->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].read_throttled, 2u);
}

TEST_F(ShardLimitsTest, LargeReadThrottlesReadsUntilTheBytesArePaidOff) {
  auto s = Make(1);
  // 4 MiB on the shard, written over 4 seconds (1 MiB/s).
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(s->PutRecord({"k", std::string((1u << 20) - 1, 'b'), std::nullopt}).ok()) << i;
    clock_.Advance(milliseconds(1000));
  }
  auto r = s->GetRecords(Iterator(*s, "shardId-000000000000"), 10);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->records.size(), 4u);  // one call may return more than the 2 MiB/s allowance…
  clock_.Advance(milliseconds(999));
  EXPECT_EQ(s->GetRecords(r->next_shard_iterator, 10).status().type(), kThrottle);  // …then pays it off
  clock_.Advance(milliseconds(1));  // 2 MiB in debt at 2 MiB/s: clear after exactly one second
  EXPECT_TRUE(s->GetRecords(r->next_shard_iterator, 10).ok());
}

TEST_F(ShardLimitsTest, BatchPutterLandsEveryRecordUnderThrottling) {
  auto s = Make(2);
  std::vector<PutRecordsEntryResult> results;
  // FakeClock::SleepFor advances the clock, so the putter's backoff is what refills the allowance.
  BatchPutOptions options;
  options.retry = {milliseconds(50), milliseconds(1000), 40};
  BatchPutter putter(*s, clock_, [&](const PutRecordsEntryResult& r) { results.push_back(r); }, options);
  const int64_t start = clock_.NowMillis();
  for (int i = 0; i < 3000; ++i) putter.Add({"k" + std::to_string(i), "v", std::nullopt});
  putter.Flush();
  ASSERT_EQ(results.size(), 3000u);
  for (const auto& r : results) ASSERT_TRUE(r.ok()) << r.error_code;
  EXPECT_EQ(putter.failed(), 0);
  EXPECT_GT(putter.calls(), 6);  // retries happened…
  EXPECT_GT(Throttled("shardId-000000000000", "PutRecords") + Throttled("shardId-000000000001", "PutRecords"), 0u);
  // …and waited on the injected clock: 3,000 records over 2 shards need ≥ 0.5 s at 1,000/s/shard.
  EXPECT_GE(clock_.NowMillis() - start, 500);
  auto stats = s->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].record_count + (*stats)[1].record_count, 3000u);  // each exactly once
}

TEST_F(ShardLimitsTest, ConcurrentWritersShareOneAllowanceExactly) {
  auto s = Make(1);
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto out = s->PutRecords(std::vector<PutRecordInput>(100, To(0, 1)));
        if (out.ok()) accepted += 100 - out->failed_record_count;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 1000);  // 2,000 offered in the same (fake) instant
  auto stats = s->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ((*stats)[0].record_count, 1000u);
  EXPECT_EQ((*stats)[0].write_throttled, 1000u);
}

TEST_F(ShardLimitsTest, UnlimitedIsUnchanged) {
  auto s = Make(1, ShardLimits::Unlimited());
  EXPECT_EQ(PutMany(*s, 20000, 0, 1), 20000);
  EXPECT_TRUE(s->PutRecord({"k", std::string((1u << 20) - 1, 'b'), std::nullopt}).ok());
  EXPECT_TRUE(s->PutRecord({"k", std::string((1u << 20) - 1, 'b'), std::nullopt}).ok());
  std::string it = Iterator(*s, "shardId-000000000000");
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(s->GetRecords(it, 1).ok()) << i;
  EXPECT_EQ(Throttled("shardId-000000000000", "PutRecords"), 0u);
}

TEST_F(ShardLimitsTest, LimitsAreNotPersistedAndEachOpenHasItsOwnBuckets) {
  auto a = Make(1);
  EXPECT_EQ(PutMany(*a, 1000, 0, 1), 1000);
  StreamOptions opts;
  opts.metrics = &metrics_;
  auto unlimited = LocalStream::Open(PosixFileSystem::Get(), clock_, dir_.path(), "beers", opts);
  ASSERT_TRUE(unlimited.ok());
  EXPECT_EQ(PutMany(**unlimited, 2000, 0, 1), 2000);  // the default is unlimited, whatever Create was given
  opts.limits = ShardLimits::Kinesis();
  auto b = LocalStream::Open(PosixFileSystem::Get(), clock_, dir_.path(), "beers", opts);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)->limits(), ShardLimits::Kinesis());
  EXPECT_EQ(PutMany(**b, 1500, 0, 1), 1000);  // a fresh process-side bucket
}

}  // namespace
}  // namespace brewline::stream
