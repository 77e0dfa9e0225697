#include "pipeline/ingest_job.h"

#include <gtest/gtest.h>

#include <set>

#include "pipeline/fakes.h"
#include "schedule/scheduled_event.h"

namespace brewline::pipeline {
namespace {

using testing::BeerJson;
using testing::FakeSource;
using testing::FakeStream;

std::string Event() { return schedule::BuildScheduledEvent({}, 1700000000000, "a-b-c"); }

class IngestJobTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  FakeStream stream_;
  FakeSource source_;
  MetricsRegistry metrics_;
  IngestOptions Options() {
    IngestOptions o;
    o.metrics = &metrics_;
    return o;
  }
};

TEST_F(IngestJobTest, PutsTheBeerAsReceivedKeyedById) {
  const std::string json = "{ \"id\" : 42,\n  \"name\": \"Punk IPA\", \"abv\": 5.6, \"extra\": [1, 2] }";
  source_.random.push_back(json);
  IngestJob job(source_, stream_, clock_, Options());
  ASSERT_TRUE(job.RunOnce(Event()).ok());
  ASSERT_EQ(stream_.records.size(), 1u);
  EXPECT_EQ(stream_.records[0].partition_key, "42");
  EXPECT_EQ(stream_.records[0].data, json);  // byte for byte, whitespace and unknown fields included
  EXPECT_EQ(job.stats().ingested, 1u);
  EXPECT_TRUE(job.stats().last_ok);
  EXPECT_EQ(metrics_.GetCounter("brewline_ingest_records_total", "").value(), 1u);
}

TEST_F(IngestJobTest, FailuresAreCountedByReasonAndNothingInvalidIsPut) {
  source_.random.push_back(Unavailable("HTTP 500 from source"));
  source_.random.push_back(ResourceExhausted("HTTP 429 from source"));
  source_.random.push_back(std::string("<html>garbage</html>"));
  source_.random.push_back(std::string("{\"id\": 0, \"name\": \"zero\"}"));
  source_.random.push_back(std::string("{\"id\": 7, \"name\": \"\"}"));
  source_.random.push_back(DeadlineExceeded("timed out after 5s"));
  source_.random.push_back(BeerJson(9));
  IngestJob job(source_, stream_, clock_, Options());
  int failed = 0;
  for (int i = 0; i < 7; ++i) failed += job.RunOnce(Event()).ok() ? 0 : 1;
  EXPECT_EQ(failed, 6);
  ASSERT_EQ(stream_.records.size(), 1u);
  EXPECT_EQ(stream_.records[0].partition_key, "9");
  IngestStats s = job.stats();
  EXPECT_EQ(s.runs, 7u);
  EXPECT_EQ(s.fetch_failures, 3u);
  EXPECT_EQ(s.invalid, 3u);
  EXPECT_EQ(metrics_.GetCounter("brewline_ingest_failures_total", "", {{"reason", "fetch"}}).value(), 3u);
  EXPECT_EQ(metrics_.GetCounter("brewline_ingest_failures_total", "", {{"reason", "invalid"}}).value(), 3u);
}

TEST_F(IngestJobTest, RefusesATriggerThatIsNotAScheduledEvent) {
  source_.random.push_back(BeerJson(1));
  IngestJob job(source_, stream_, clock_, Options());
  Status st = job.RunOnce("{\"hello\":1}");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(job.stats().bad_events, 1u);
  EXPECT_TRUE(stream_.records.empty());
}

TEST_F(IngestJobTest, RetriesRetryablePutsButNotOthers) {
  source_.random.push_back(BeerJson(1));
  source_.random.push_back(BeerJson(2));
  stream_.put_errors.push_back(ResourceExhausted("throttled", "ProvisionedThroughputExceededException"));
  stream_.put_errors.push_back(Unavailable("lock busy"));
  IngestJob job(source_, stream_, clock_, Options());
  EXPECT_TRUE(job.RunOnce(Event()).ok());
  ASSERT_EQ(stream_.records.size(), 1u);
  stream_.put_errors.push_back(InvalidArgument("too big"));
  Status st = job.RunOnce(Event());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(stream_.records.size(), 1u);
  EXPECT_EQ(job.stats().put_failures, 1u);
  EXPECT_FALSE(job.stats().last_ok);
  EXPECT_NE(job.stats().last_result.find("too big"), std::string::npos);
}

TEST_F(IngestJobTest, BackfillPagesEightyAtATimeAndRetriesFailedEntries) {
  for (int i = 1; i <= 200; ++i) source_.catalogue.push_back(BeerJson(i));
  source_.catalogue[5] = "{\"id\": \"six\"}";  // invalid: skipped and counted
  stream_.fail_every_nth_entry = 7;          // partial PutRecords failures
  IngestJob job(source_, stream_, clock_, Options());
  std::vector<int> progress_pages;
  auto done = job.Backfill([&](const BackfillStats& s) { progress_pages.push_back(s.pages); });
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->pages, 3);
  EXPECT_EQ(done->beers, 199u);
  EXPECT_EQ(done->invalid, 1u);
  EXPECT_EQ(progress_pages, (std::vector<int>{1, 2, 3}));
  ASSERT_EQ(stream_.records.size(), 199u);
  // Every valid beer exactly once, whatever the retries.
  std::set<std::string> keys;
  for (const auto& r : stream_.records) keys.insert(r.partition_key);
  EXPECT_EQ(keys.size(), 199u);
  EXPECT_EQ(keys.count("6"), 0u);
  EXPECT_LE(stream_.batches.front(), 80u);
}

TEST_F(IngestJobTest, BackfillStopsOnRequest) {
  for (int i = 1; i <= 200; ++i) source_.catalogue.push_back(BeerJson(i));
  IngestJob job(source_, stream_, clock_, Options());
  StopSignal stop;
  auto done = job.Backfill([&](const BackfillStats&) { stop.RequestStop(); }, &stop);
  EXPECT_EQ(done.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(stream_.records.size(), 80u);
}

}  // namespace
}  // namespace brewline::pipeline
