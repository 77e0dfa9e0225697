// Sync racing a delivery: a writer thread keeps putting objects while syncs run (on two handles, as the pipeline
// and a `brewline table sync` would). Every object must end up loaded exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/clock.h"
#include "store/fs_object_store.h"
#include "table/cleaned_table.h"
#include "table/sql_query.h"
#include "table/table_fixtures.h"
#include "testing/temp_dir.h"

namespace brewline::table {
namespace {

TEST(SyncRaceTest, ConcurrentWriterAndTwoSyncersLoadEachObjectExactlyOnce) {
  brewline::testing::TempDir dir;
  FakeClock clock;
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(dir.path()));
  auto t1 = CleanedTable::Open(PosixFileSystem::Get(), clock, dir.path());
  auto t2 = CleanedTable::Open(PosixFileSystem::Get(), clock, dir.path());
  ASSERT_TRUE(t1.ok() && t2.ok());

  constexpr int kObjects = 60;
  constexpr int kPerObject = 7;
  const auto& beers = testing::PunkBeers();
  std::atomic<bool> done{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; i < kObjects; ++i) {
      std::vector<beer::CleanedBeer> batch;
      for (int k = 0; k < kPerObject; ++k) batch.push_back(beers[static_cast<size_t>((i * kPerObject + k) % 325)]);
      testing::PutObject(store, testing::DeliveryKey(1714557600000 + i * 1000LL, "w" + std::to_string(i),
                                                     i % 3 == 0),
                         batch);
      written++;
    }
    done = true;
  });
  auto syncer = [&](CleanedTable& t, std::atomic<int>* rounds, std::atomic<int64_t>* rows) {
    while (!done.load()) {
      auto s = t.Sync(store);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      EXPECT_EQ(s->lines_rejected, 0);
      *rows += s->rows_loaded;
      (*rounds)++;
    }
  };
  std::atomic<int> rounds1{0}, rounds2{0};
  std::atomic<int64_t> rows1{0}, rows2{0};
  std::thread s1(syncer, std::ref(**t1), &rounds1, &rows1);
  std::thread s2(syncer, std::ref(**t2), &rounds2, &rows2);
  writer.join();
  s1.join();
  s2.join();
  auto last = (*t1)->Sync(store);
  ASSERT_TRUE(last.ok());
  const int64_t total = rows1 + rows2 + last->rows_loaded;
  EXPECT_EQ(total, kObjects * kPerObject);  // every row counted by exactly one syncer
  EXPECT_GT(rounds1 + rounds2, 1);

  auto r = RunReadOnlyQuery(CleanedTable::DbPath(dir.path()),
                            "SELECT COUNT(*), COUNT(DISTINCT object_key), "
                            "(SELECT COUNT(*) FROM (SELECT object_key, line FROM cleaned GROUP BY 1, 2 HAVING COUNT(*) > 1)) "
                            "FROM cleaned");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows[0][0].i, kObjects * kPerObject);
  EXPECT_EQ(r->rows[0][1].i, kObjects);
  EXPECT_EQ(r->rows[0][2].i, 0);  // no (object, line) twice
  auto lag = (*t2)->Lag(store);
  ASSERT_TRUE(lag.ok());
  EXPECT_EQ(lag->objects_pending, 0);
}

}  // namespace
}  // namespace brewline::table
