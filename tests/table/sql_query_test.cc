// Read-only SQL: writes refused with a clear one-line error, SQL errors one line, formats.
#include "table/sql_query.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "store/fs_object_store.h"
#include "table/cleaned_table.h"
#include "table/table_fixtures.h"
#include "testing/temp_dir.h"

namespace brewline::table {
namespace {

class SqlQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = CleanedTable::Open(PosixFileSystem::Get(), clock_, dir_.path());
    ASSERT_TRUE(t.ok());
    const auto& b = testing::PunkBeers();
    testing::PutObject(store_, testing::DeliveryKey(1714557600000, "a"), {b.begin(), b.begin() + 5});
    ASSERT_TRUE((*t)->Sync(store_).ok());
    db_ = CleanedTable::DbPath(dir_.path());
  }
  brewline::testing::TempDir dir_;
  FakeClock clock_;
  store::FsObjectStore store_{PosixFileSystem::Get(), store::BucketsDir(dir_.path())};
  std::string db_;
};

TEST_F(SqlQueryTest, WritesAreRefusedAndNothingChanges) {
  const char* writes[] = {
      "DELETE FROM cleaned",
      "INSERT INTO cleaned (id, name, object_key, line) VALUES (9, 'x', 'k', 1)",
      "UPDATE cleaned SET abv = 0",
      "DROP TABLE cleaned",
      "CREATE TABLE t (x)",
      "CREATE TEMP TABLE t (x)",
      "ATTACH DATABASE '/tmp/brewline-e-attach.db' AS other",
      "PRAGMA journal_mode = DELETE",
      "PRAGMA writable_schema = 1",
      "BEGIN",
      "VACUUM",
      "REINDEX",
      "WITH x AS (SELECT 1) DELETE FROM cleaned",
  };
  for (const char* sql : writes) {
    auto r = RunReadOnlyQuery(db_, sql);
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << sql << ": " << r.status().ToString();
    EXPECT_EQ(r.status().message().rfind("read-only: ", 0), 0u) << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  }
  auto count = RunReadOnlyQuery(db_, "SELECT COUNT(*) FROM cleaned");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->rows[0][0].i, 5);
  EXPECT_FALSE(PosixFileSystem::Get().Exists("/tmp/brewline-e-attach.db"));
}

TEST_F(SqlQueryTest, SqlErrorsAreOneClearLine) {
  struct Case {
    const char* sql;
    const char* want;
  } cases[] = {
      {"SELEC 1", "syntax error"},
      {"SELECT * FROM nope", "no such table: nope"},
      {"SELECT nope FROM cleaned", "no such column: nope"},
      {"SELECT 1; SELECT 2", "one statement per query"},
      {"", "empty query"},
      {"   ;  ", "empty query"},
  };
  for (const auto& c : cases) {
    auto r = RunReadOnlyQuery(db_, c.sql);
    ASSERT_FALSE(r.ok()) << c.sql;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.sql;
    EXPECT_EQ(r.status().message().rfind("SQL error: ", 0), 0u) << r.status().message();
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
  }
  EXPECT_TRUE(RunReadOnlyQuery(db_, "SELECT 1;  ").ok());
  EXPECT_TRUE(RunReadOnlyQuery(db_, "PRAGMA table_info(cleaned)").ok());
}

TEST_F(SqlQueryTest, MissingDatabaseIsNotFoundAndNotCreated) {
  brewline::testing::TempDir empty;
  auto r = RunReadOnlyQuery(empty.Join("table/brewline.db"), "SELECT 1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("brewline table sync"), std::string::npos);
  EXPECT_FALSE(PosixFileSystem::Get().Exists(empty.Join("table/brewline.db")));
}

TEST_F(SqlQueryTest, FormatsCsvJsonAndTable) {
  auto r = RunReadOnlyQuery(db_, "SELECT 1 AS i, 2.5 AS r, NULL AS n, 'a,\"b\"' AS t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(FormatResult(*r, OutputFormat::kCsv), "i,r,n,t\n1,2.5,,\"a,\"\"b\"\"\"\n");
  auto j = nlohmann::json::parse(FormatResult(*r, OutputFormat::kJson));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["i"], 1);
  EXPECT_EQ(j[0]["r"], 2.5);
  EXPECT_TRUE(j[0]["n"].is_null());
  EXPECT_EQ(j[0]["t"], "a,\"b\"");
  std::string table = FormatResult(*r, OutputFormat::kTable);
  EXPECT_NE(table.find("i | r   | n    | t"), std::string::npos) << table;
  EXPECT_NE(table.find("NULL"), std::string::npos);
  EXPECT_NE(table.find("(1 row)"), std::string::npos);
  auto empty = RunReadOnlyQuery(db_, "SELECT id FROM cleaned WHERE 0");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(FormatResult(*empty, OutputFormat::kJson), "[]\n");
  EXPECT_EQ(FormatResult(*empty, OutputFormat::kCsv), "id\n");
  EXPECT_FALSE(ParseOutputFormat("xml").ok());
}

}  // namespace
}  // namespace brewline::table
