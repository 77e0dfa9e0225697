// The table equals an independent parse (Python's csv module, /usr/bin/python3) of every cleaned object.
#include <gtest/gtest.h>

#include "common/clock.h"
#include "store/fs_object_store.h"
#include "table/cleaned_table.h"
#include "table/table_fixtures.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::table {
namespace {

TEST(PythonParityTest, TableEqualsPythonCsvParseOfEveryObject) {
  brewline::testing::TempDir dir;
  FakeClock clock;
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(dir.path()));
  const auto& beers = testing::PunkBeers();
  ASSERT_EQ(beers.size(), 325u);
  // Uneven objects across hours, some gzip, and every beer at least once (204's quoted name, null measures).
  size_t next = 0;
  int64_t t = 1714557600000;
  for (int i = 0; next < beers.size(); ++i) {
    size_t n = static_cast<size_t>(1 + (i * 7) % 40);
    std::vector<beer::CleanedBeer> batch(beers.begin() + static_cast<long>(next),
                                         beers.begin() + static_cast<long>(std::min(beers.size(), next + n)));
    next += n;
    testing::PutObject(store, testing::DeliveryKey(t, "obj" + std::to_string(i), i % 4 == 1), batch);
    t += 17 * 60 * 1000;
  }
  ASSERT_TRUE(store.Put("cleaned", "processing-failed/2024/05/01/10/err-1", "{\"rawData\":\"eA==\"}\n").ok());
  auto table = CleanedTable::Open(PosixFileSystem::Get(), clock, dir.path());
  ASSERT_TRUE(table.ok());
  auto s = (*table)->Sync(store);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->rows_loaded, 325);

  auto r = brewline::testing::RunCommand({"/usr/bin/python3", brewline::testing::SourceDir() + "/tests/table/parse_cleaned.py",
                                          store::BucketsDir(dir.path()) + "/cleaned", CleanedTable::DbPath(dir.path())});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("equal: 325 rows"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace brewline::table
