// CleanedTable::Sync over a real FsObjectStore: exactly-once, idempotent, deletes/replacements, rejects, views.
#include "table/cleaned_table.h"

#include <gtest/gtest.h>

#include "common/clock.h"
#include "store/fs_object_store.h"
#include "table/gzip.h"
#include "table/sql_query.h"
#include "table/sqlite_db.h"
#include "table/table_fixtures.h"
#include "testing/temp_dir.h"

namespace brewline::table {
namespace {

using testing::DeliveryKey;
using testing::PunkBeers;
using testing::PutObject;

constexpr int64_t kT0 = 1714557600000;  // 2024-05-01T10:00:00Z

class CleanedTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = CleanedTable::Open(PosixFileSystem::Get(), clock_, dir_.path());
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    table_ = std::move(t).value();
  }
  SyncStats MustSync() {
    auto s = table_->Sync(store_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : SyncStats{};
  }
  QueryResult Query(const std::string& sql) {
    auto r = RunReadOnlyQuery(CleanedTable::DbPath(dir_.path()), sql);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() ? *r : QueryResult{};
  }
  int64_t Int(const std::string& sql) {
    auto r = Query(sql);
    if (r.rows.empty() || r.rows[0].empty()) return -1;
    return r.rows[0][0].i;
  }
  std::vector<beer::CleanedBeer> Slice(size_t from, size_t n) {
    const auto& all = PunkBeers();
    return {all.begin() + static_cast<long>(from), all.begin() + static_cast<long>(std::min(all.size(), from + n))};
  }

  brewline::testing::TempDir dir_;
  FakeClock clock_{kT0};
  store::FsObjectStore store_{PosixFileSystem::Get(), store::BucketsDir(dir_.path())};
  std::unique_ptr<CleanedTable> table_;
};

TEST_F(CleanedTableTest, EmptyBucketSyncsToAnEmptyTable) {
  SyncStats s = MustSync();
  EXPECT_EQ(s.objects_listed, 0);
  auto c = table_->Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->rows, 0);
  EXPECT_GT(c->last_sync_ms, 0);
}

TEST_F(CleanedTableTest, LoadsEveryBeerOnceAndSecondSyncAddsNothing) {
  ASSERT_EQ(PunkBeers().size(), 325u);
  PutObject(store_, DeliveryKey(kT0, "a"), Slice(0, 100));
  PutObject(store_, DeliveryKey(kT0 + 60000, "b", /*gz=*/true), Slice(100, 100));
  PutObject(store_, DeliveryKey(kT0 + 3600000, "c"), Slice(200, 125));
  ASSERT_TRUE(store_.Put("cleaned", "processing-failed/2024/05/01/10/x", "{\"errorCode\":\"x\"}\n").ok());

  SyncStats s = MustSync();
  EXPECT_EQ(s.objects_listed, 3);
  EXPECT_EQ(s.objects_loaded, 3);
  EXPECT_EQ(s.rows_loaded, 325);
  EXPECT_EQ(s.lines_rejected, 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 325);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM beers"), 325);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM objects WHERE status = 'loaded'"), 3);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned WHERE object_key LIKE 'processing-failed/%'"), 0);
  EXPECT_EQ(Int("SELECT line FROM cleaned WHERE id = " + std::to_string(PunkBeers()[150].id) +
                " AND object_key LIKE '%.gz'"),
            51);

  SyncStats again = MustSync();
  EXPECT_EQ(again.objects_loaded, 0);
  EXPECT_EQ(again.objects_skipped, 3);
  EXPECT_EQ(again.rows_loaded, 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 325);

  // A fresh handle (a restart) is just as idempotent.
  table_.reset();
  auto t = CleanedTable::Open(PosixFileSystem::Get(), clock_, dir_.path());
  ASSERT_TRUE(t.ok());
  auto s3 = (*t)->Sync(store_);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->rows_loaded, 0);
}

TEST_F(CleanedTableTest, ValuesRoundTripIncludingNullsAndQuotedNames) {
  PutObject(store_, DeliveryKey(kT0, "a"), PunkBeers());
  MustSync();
  auto r = Query("SELECT id, name, abv, ibu, target_fg, target_og, ebc, srm, ph FROM cleaned ORDER BY line");
  ASSERT_EQ(r.rows.size(), PunkBeers().size());
  auto same = [](const std::optional<double>& want, const SqlValue& got) {
    return want.has_value() ? (got.type == SqlValue::Type::kReal && got.d == *want)
                            : got.type == SqlValue::Type::kNull;
  };
  int nulls = 0;
  for (size_t i = 0; i < r.rows.size(); ++i) {
    const auto& b = PunkBeers()[i];
    const auto& row = r.rows[i];
    EXPECT_EQ(row[0].i, b.id);
    EXPECT_EQ(row[1].text, b.name);
    const std::optional<double>* m[] = {&b.abv, &b.ibu, &b.target_fg, &b.target_og, &b.ebc, &b.srm, &b.ph};
    for (int k = 0; k < 7; ++k) {
      EXPECT_TRUE(same(*m[k], row[static_cast<size_t>(2 + k)])) << "beer " << b.id << " column " << 2 + k;
      if (!m[k]->has_value()) ++nulls;
    }
  }
  EXPECT_GT(nulls, 0);  // the dataset has null measures; they must stay NULL
  auto named = Query("SELECT name FROM cleaned WHERE id = 204");
  ASSERT_EQ(named.rows.size(), 1u);
  EXPECT_EQ(named.rows[0][0].text, "Cascade, Centennial & Willamette IPA - B-Sides");
}

TEST_F(CleanedTableTest, MalformedLinesAreRejectedAndReported) {
  std::string body = testing::CsvBody(Slice(0, 2)) + "oops,not,a,beer\n" + testing::CsvBody(Slice(2, 1)) +
                     "7,Seven,high,1,2,3,4,5,6\n";
  const std::string key = DeliveryKey(kT0, "bad");
  ASSERT_TRUE(store_.Put("cleaned", key, body).ok());
  const std::string gzkey = DeliveryKey(kT0, "damaged", true);
  ASSERT_TRUE(store_.Put("cleaned", gzkey, "\x1f\x8b garbage").ok());
  SyncStats s = MustSync();
  EXPECT_EQ(s.rows_loaded, 3);
  EXPECT_EQ(s.lines_rejected, 3);
  EXPECT_EQ(s.first_reject, key + ":3: expected 9 fields, got 4");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 3);
  auto rej = Query("SELECT object_key, line, error, raw FROM rejects ORDER BY object_key, line");
  ASSERT_EQ(rej.rows.size(), 3u);
  EXPECT_EQ(rej.rows[0][0].text, key);
  EXPECT_EQ(rej.rows[0][1].i, 3);
  EXPECT_EQ(rej.rows[0][3].text, "oops,not,a,beer");
  EXPECT_EQ(rej.rows[1][1].i, 5);
  EXPECT_NE(rej.rows[1][2].text.find("abv"), std::string::npos);
  EXPECT_EQ(rej.rows[2][0].text, gzkey);  // the damaged object is visible, not lost
  EXPECT_NE(rej.rows[2][2].text.find("gzip"), std::string::npos);
  EXPECT_EQ(Int("SELECT rejected FROM objects WHERE key = '" + key + "'"), 2);
  // Rejected records are counted once: a second sync does not report them again.
  EXPECT_EQ(MustSync().lines_rejected, 0);
}

TEST_F(CleanedTableTest, DeletedObjectsTakeTheirRowsAndTheManifestSaysSo) {
  const std::string a = DeliveryKey(kT0, "a"), b = DeliveryKey(kT0 + 1000, "b");
  PutObject(store_, a, Slice(0, 10));
  PutObject(store_, b, Slice(10, 10));
  MustSync();
  ASSERT_TRUE(store_.Delete("cleaned", a).ok());
  auto lag = table_->Lag(store_);
  ASSERT_TRUE(lag.ok());
  EXPECT_EQ(lag->objects_deleted_pending, 1);
  clock_.Advance(std::chrono::minutes(1));
  SyncStats s = MustSync();
  EXPECT_EQ(s.objects_removed, 1);
  EXPECT_EQ(s.rows_removed, 10);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 10);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned WHERE object_key = '" + a + "'"), 0);
  EXPECT_EQ(Int("SELECT deleted_at_ms FROM objects WHERE key = '" + a + "' AND status = 'deleted'"), kT0 + 60000);
  auto c = table_->Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->objects_deleted, 1);
  EXPECT_EQ(c->objects_loaded, 1);
  // Put back: loaded again.
  PutObject(store_, a, Slice(0, 10));
  EXPECT_EQ(MustSync().objects_loaded, 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 20);
}

TEST_F(CleanedTableTest, OverwrittenObjectIsReplacedNotDuplicated) {
  const std::string a = DeliveryKey(kT0, "a");
  PutObject(store_, a, Slice(0, 10));
  MustSync();
  PutObject(store_, a, Slice(50, 3));
  SyncStats s = MustSync();
  EXPECT_EQ(s.objects_replaced, 1);
  EXPECT_EQ(s.rows_removed, 10);
  EXPECT_EQ(s.rows_loaded, 3);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 3);
  EXPECT_EQ(Int("SELECT MIN(id) FROM cleaned"), Int("SELECT MIN(id) FROM cleaned WHERE object_key = '" + a + "'"));
}

TEST_F(CleanedTableTest, LagCountsObjectsNotYetLoaded) {
  PutObject(store_, DeliveryKey(kT0, "a"), Slice(0, 5));
  MustSync();
  PutObject(store_, DeliveryKey(kT0 + 1000, "b"), Slice(5, 5));
  PutObject(store_, DeliveryKey(kT0 + 2000, "c"), Slice(10, 5));
  auto lag = table_->Lag(store_);
  ASSERT_TRUE(lag.ok());
  EXPECT_EQ(lag->objects_in_bucket, 3);
  EXPECT_EQ(lag->objects_pending, 2);
  EXPECT_GT(lag->bytes_pending, 0);
  MustSync();
  lag = table_->Lag(store_);
  ASSERT_TRUE(lag.ok());
  EXPECT_EQ(lag->objects_pending, 0);
}

TEST_F(CleanedTableTest, BeersViewKeepsTheLatestArrivalPerId) {
  beer::CleanedBeer old = PunkBeers()[0], newer = PunkBeers()[0];
  old.abv = 1.0;
  newer.abv = 2.0;
  beer::CleanedBeer newest = newer;
  newest.abv = 3.0;
  // Written out of order: the later key holds the later arrival whatever the write order.
  PutObject(store_, DeliveryKey(kT0 + 3600000, "z"), {newer, newest});
  PutObject(store_, DeliveryKey(kT0, "a"), {old});
  MustSync();
  auto r = Query("SELECT abv, line FROM beers WHERE id = " + std::to_string(old.id));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0][0].d, 3.0);
  EXPECT_EQ(r.rows[0][1].i, 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 3);
}

TEST_F(CleanedTableTest, QualityViewFlagsWithoutDeleting) {
  PutObject(store_, DeliveryKey(kT0, "a"), PunkBeers());
  MustSync();
  // punkapi-db's own oddities: ibu typed as the OG (137, 185), fg above og (e.g. 224), pH 79 somewhere.
  EXPECT_EQ(Int("SELECT COUNT(*) FROM quality_issues WHERE issue = 'ibu_equals_og' AND id IN (137, 185)"), 2);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM quality_issues WHERE issue = 'ibu_implausible' AND id IN (137, 185)"), 2);
  EXPECT_GE(Int("SELECT COUNT(*) FROM quality_issues WHERE issue = 'fg_above_og' AND id = 224"), 1);
  EXPECT_GE(Int("SELECT COUNT(*) FROM quality_issues WHERE issue = 'ph_out_of_range'"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM cleaned"), 325);  // nothing deleted
  EXPECT_EQ(Int("SELECT COUNT(*) FROM quality_issues WHERE id = 1"), 0);
}

TEST_F(CleanedTableTest, DatabaseFromAnotherSchemaIsRefused) {
  table_.reset();
  {
    auto db = Db::Open(CleanedTable::DbPath(dir_.path()), Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("UPDATE meta SET value = 'layout=0;id:TEXT' WHERE name = 'schema'").ok());
  }
  auto t = CleanedTable::Open(PosixFileSystem::Get(), clock_, dir_.path());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(t.status().message().find("another schema"), std::string::npos);
}

}  // namespace
}  // namespace brewline::table
