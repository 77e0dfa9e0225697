// The scorer end to end, in process: stream → scorer (delivery `predictions` + model) → bucket → table.
#include "server/scorer.h"

#include <gtest/gtest.h>

#include <set>

#include "beer/beer.h"
#include "common/clock.h"
#include "server/prediction_record.h"
#include "server_fixture.h"
#include "store/fs_object_store.h"
#include "stream/local_stream.h"
#include "testing/temp_dir.h"

namespace brewline::server {
namespace {

using testing::PublishModel;
using testing::RawBeers;

class ScorerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = stream::LocalStream::OpenOrCreate(fs_, clock_, dir_.path(), "beers", stream::StreamOptions{});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    stream_ = std::move(*s);
    store_ = std::make_unique<store::FsObjectStore>(fs_, store::BucketsDir(dir_.path()));
  }

  std::unique_ptr<Scorer> OpenScorer() {
    ScorerOptions o;
    o.data_dir = dir_.path();
    o.buffer_interval = std::chrono::seconds(0);  // every poll that read something flushes
    o.poll_interval = std::chrono::milliseconds(10);
    o.model_check_interval = std::chrono::milliseconds(1000);
    o.metrics = &metrics_;
    auto s = Scorer::Open(o, *stream_, *store_, clock_, fs_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  void PutBeers(size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) {
      stream::PutRecordInput in;
      in.partition_key = std::to_string(i + 1);
      in.data = RawBeers()[i];
      ASSERT_TRUE(stream_->PutRecord(in).ok());
      clock_.Advance(std::chrono::milliseconds(5));
    }
  }

  // Every prediction line in the bucket (error output excluded), parsed.
  std::vector<PredictionRecord> Predictions() {
    std::vector<PredictionRecord> out;
    store::ListOptions lo;
    auto page = store_->List(kPredictionsBucket, lo);
    if (!page.ok()) return out;
    for (const auto& o : page->objects) {
      if (o.key.rfind("processing-failed/", 0) == 0) continue;
      auto data = store_->Get(kPredictionsBucket, o.key);
      EXPECT_TRUE(data.ok());
      size_t start = 0;
      while (data.ok() && start < data->size()) {
        size_t nl = data->find('\n', start);
        auto r = ParsePredictionLine(std::string_view(*data).substr(start, nl - start));
        EXPECT_TRUE(r.ok()) << r.status().ToString();
        if (r.ok()) out.push_back(*r);
        start = nl + 1;
      }
    }
    return out;
  }

  brewline::testing::TempDir dir_;
  FakeClock clock_;
  PosixFileSystem& fs_ = PosixFileSystem::Get();
  MetricsRegistry metrics_;
  std::unique_ptr<stream::LocalStream> stream_;
  std::unique_ptr<store::FsObjectStore> store_;
};

TEST_F(ScorerTest, WaitsWithoutAModelThenScoresEveryBeerExactlyOnceAndPicksUpNewVersions) {
  ASSERT_GE(RawBeers().size(), 30u);
  auto scorer = OpenScorer();
  ASSERT_NE(scorer, nullptr);
  // No model: waiting, says so, reads nothing.
  PutBeers(0, 10);
  auto polled = scorer->PollOnce();
  ASSERT_TRUE(polled.ok());
  EXPECT_FALSE(*polled);
  EXPECT_EQ(scorer->state().state, "waiting");
  EXPECT_NE(scorer->state().message.find("model"), std::string::npos);
  ASSERT_TRUE(scorer->Drain().ok());
  EXPECT_TRUE(Predictions().empty());
  auto persisted = ReadScorerState(fs_, dir_.path());
  ASSERT_TRUE(persisted.ok());
  EXPECT_EQ(persisted->state, "waiting");

  // v1 appears: picked up without a restart; the waiting beers are scored.
  const int v1 = PublishModel(*store_, 0);
  ASSERT_EQ(v1, 1);
  clock_.Advance(std::chrono::seconds(2));
  polled = scorer->PollOnce();
  ASSERT_TRUE(polled.ok()) << polled.status().ToString();
  EXPECT_TRUE(*polled);
  EXPECT_EQ(scorer->state().state, "scoring");
  EXPECT_EQ(scorer->state().model_version, 1);
  ASSERT_TRUE(scorer->Drain().ok());
  auto preds = Predictions();
  ASSERT_EQ(preds.size(), 10u);
  for (const auto& p : preds) EXPECT_EQ(p.model_version, 1);

  // v2 appears: later beers get v2, earlier ones are not rescored.
  const int v2 = PublishModel(*store_, 1, /*evaluate=*/false);
  ASSERT_EQ(v2, 2);
  clock_.Advance(std::chrono::seconds(2));
  PutBeers(10, 20);
  ASSERT_TRUE(scorer->Drain().ok());
  preds = Predictions();
  ASSERT_EQ(preds.size(), 20u);
  int v2_count = 0;
  for (const auto& p : preds) v2_count += p.model_version == 2;
  EXPECT_EQ(v2_count, 10);

  // A restart resumes at the checkpoint: nothing twice.
  scorer.reset();
  PutBeers(20, 30);
  scorer = OpenScorer();
  ASSERT_NE(scorer, nullptr);
  ASSERT_TRUE(scorer->Drain().ok());
  preds = Predictions();
  ASSERT_EQ(preds.size(), 30u);
  std::set<std::string> seqs;
  std::multiset<int64_t> ids;
  for (const auto& p : preds) {
    seqs.insert(p.sequence_number);
    ids.insert(p.id);
    EXPECT_FALSE(p.name.empty());
    EXPECT_GT(p.arrival_ms, 0);
    if (p.error.empty()) {
      ASSERT_TRUE(p.predicted_band.has_value());
      EXPECT_EQ(p.probabilities.size(), 6u);
      EXPECT_FALSE(p.predicted_range.empty());
    }
    if (p.ibu) {
      EXPECT_TRUE(p.actual_band.has_value());
    }
  }
  EXPECT_EQ(seqs.size(), 30u);
  EXPECT_EQ(ids.size(), 30u);
  for (size_t i = 0; i < 30; ++i) {
    auto beer = beer::ParseBeer(RawBeers()[i]);
    ASSERT_TRUE(beer.ok());
    EXPECT_EQ(ids.count(beer->id), 1u) << "beer " << i;
  }
  // The table holds the same rows, once.
  auto rows = scorer->table().RowCount();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 30);
  auto latest = scorer->table().Latest(5);
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 5u);
  EXPECT_EQ(latest->front().model_version, 2);
  auto synced_again = scorer->table().Sync(*store_);
  ASSERT_TRUE(synced_again.ok());
  EXPECT_EQ(synced_again->rows_loaded, 0);
}

TEST_F(ScorerTest, RecordsThatAreNotBeersGoToTheErrorOutputNotTheTable) {
  PublishModel(*store_, 0);
  auto scorer = OpenScorer();
  ASSERT_NE(scorer, nullptr);
  PutBeers(0, 2);
  stream::PutRecordInput bad;
  bad.partition_key = "x";
  bad.data = "{\"not\":\"a beer\"}";
  ASSERT_TRUE(stream_->PutRecord(bad).ok());
  ASSERT_TRUE(scorer->Drain().ok());
  EXPECT_EQ(Predictions().size(), 2u);
  store::ListOptions lo;
  lo.prefix = "processing-failed/";
  auto page = store_->List(kPredictionsBucket, lo);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->objects.size(), 1u);
  auto rows = scorer->table().RowCount();
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 2);
}

}  // namespace
}  // namespace brewline::server
