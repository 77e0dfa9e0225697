#include "stream/batch_putter.h"

#include <gtest/gtest.h>

#include "stream/local_stream.h"
#include "testing/fault_injection_fs.h"
#include "testing/temp_dir.h"

namespace brewline::stream {
namespace {

TEST(BatchPutterTest, SplitsAtFiveHundredRecordsAndFiveMiBAndReportsInOrder) {
  testing::TempDir dir;
  FakeClock clock;
  StreamOptions opts;
  opts.shard_count = 3;
  auto s = LocalStream::Create(PosixFileSystem::Get(), clock, dir.path(), "b", opts);
  ASSERT_TRUE(s.ok());
  std::vector<PutRecordsEntryResult> results;
  BatchPutter putter(**s, clock, [&](const PutRecordsEntryResult& r) { results.push_back(r); });
  for (int i = 0; i < 1200; ++i) putter.Add({"k" + std::to_string(i), "small", std::nullopt});
  putter.Add({"", "bad key", std::nullopt});  // reported in place, after the 1200 before it
  for (int i = 0; i < 12; ++i) putter.Add({"big" + std::to_string(i), std::string(900000, 'b'), std::nullopt});
  putter.Flush();
  ASSERT_EQ(results.size(), 1213u);
  for (int i = 0; i < 1200; ++i) EXPECT_TRUE(results[i].ok());
  EXPECT_EQ(results[1200].error_code, "ValidationException");
  for (int i = 1201; i < 1213; ++i) EXPECT_TRUE(results[i].ok()) << results[i].error_message;
  // 500+500+200, then 12 × 0.9 MB in batches of at most 5 MiB (5 per batch) = 3 more.
  EXPECT_EQ(putter.calls(), 6);
  EXPECT_EQ(putter.failed(), 1);
}

TEST(BatchPutterTest, RetriesFailedEntriesThenReportsThem) {
  testing::TempDir dir;
  FakeClock clock;
  testing::FaultInjectionFileSystem fs(PosixFileSystem::Get());
  auto s = LocalStream::Create(fs, clock, dir.path(), "b", {});
  ASSERT_TRUE(s.ok());
  fs.SetFreeBytes(0);
  std::vector<PutRecordsEntryResult> results;
  BatchPutter putter(**s, clock, [&](const PutRecordsEntryResult& r) { results.push_back(r); });
  putter.Add({"k", "x", std::nullopt});
  putter.Flush();
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].error_code, "InternalFailure");
  EXPECT_EQ(putter.calls(), BatchPutOptions{}.retry.max_attempts);
}

}  // namespace
}  // namespace brewline::stream
