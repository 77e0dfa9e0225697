// The CLI surface: `table sync|describe|ddl|schema` and `sql`, exit codes and one-line errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/file_system.h"
#include "store/fs_object_store.h"
#include "table/table_fixtures.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::table {
namespace {

using brewline::testing::BrewlineBinary;
using brewline::testing::CommandResult;
using brewline::testing::RunCommand;

class TableCliTest : public ::testing::Test {
 protected:
  CommandResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), BrewlineBinary());
    return RunCommand(args);
  }
  brewline::testing::TempDir dir_;
};

TEST_F(TableCliTest, SyncDescribeAndQuery) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(dir_.path()));
  const auto& b = testing::PunkBeers();
  testing::PutObject(store, testing::DeliveryKey(1714557600000, "a"), {b.begin(), b.begin() + 30});
  ASSERT_TRUE(store.Put("cleaned", testing::DeliveryKey(1714557601000, "bad"), "1,x\n").ok());

  auto sync = Run({"table", "sync", "--data-dir", dir_.path()});
  EXPECT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_NE(sync.out.find("2 new objects (30 rows)"), std::string::npos) << sync.out;
  EXPECT_NE(sync.err.find("1 malformed records rejected"), std::string::npos) << sync.err;
  EXPECT_NE(sync.err.find("-bad:1: expected 9 fields, got 2"), std::string::npos) << sync.err;

  testing::PutObject(store, testing::DeliveryKey(1714557602000, "c"), {b.begin() + 30, b.begin() + 40});
  auto d = Run({"table", "describe", "--json", "--data-dir", dir_.path()});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  auto j = nlohmann::json::parse(d.out);
  EXPECT_EQ(j["rows"], 30);
  EXPECT_EQ(j["objects_loaded"], 2);
  EXPECT_EQ(j["rejects"], 1);
  EXPECT_EQ(j["objects_in_bucket"], 3);
  EXPECT_EQ(j["objects_pending"], 1);
  EXPECT_EQ(j["schema"]["columns"][0]["name"], "id");
  auto human = Run({"table", "describe", "--data-dir", dir_.path()});
  EXPECT_EQ(human.exit_code, 0);
  EXPECT_NE(human.out.find("lag             1 of 3 objects"), std::string::npos) << human.out;

  auto sjson = Run({"table", "sync", "--json", "--data-dir", dir_.path()});
  ASSERT_EQ(sjson.exit_code, 0) << sjson.err;
  EXPECT_EQ(nlohmann::json::parse(sjson.out)["rows_loaded"], 10);

  auto q = Run({"sql", "SELECT COUNT(*) AS n FROM beers", "--format", "json", "--data-dir", dir_.path()});
  ASSERT_EQ(q.exit_code, 0) << q.err;
  EXPECT_EQ(nlohmann::json::parse(q.out)[0]["n"], 40);
  auto csv = Run({"sql", "SELECT id, name FROM cleaned WHERE line = 1 AND object_key LIKE '%-a'", "--format", "csv",
                  "--data-dir", dir_.path()});
  EXPECT_EQ(csv.out, "id,name\n" + std::to_string(b[0].id) + "," + b[0].name + "\n");
}

TEST_F(TableCliTest, SqlRefusesWritesAndReportsErrorsOnOneLine) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(dir_.path()));
  ASSERT_EQ(Run({"table", "sync", "--data-dir", dir_.path()}).exit_code, 0);
  auto w = Run({"sql", "DROP TABLE cleaned", "--data-dir", dir_.path()});
  EXPECT_EQ(w.exit_code, 1);
  EXPECT_EQ(w.err, "error: read-only: DROP TABLE is refused; `brewline sql` only reads the table\n");
  auto e = Run({"sql", "SELECT FROM", "--data-dir", dir_.path()});
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_EQ(e.err.rfind("error: SQL error: ", 0), 0u) << e.err;
  EXPECT_EQ(std::count(e.err.begin(), e.err.end(), '\n'), 1);
  auto f = Run({"sql", "SELECT 1", "--format", "xml", "--data-dir", dir_.path()});
  EXPECT_EQ(f.exit_code, 2);
  auto missing = Run({"sql", "SELECT 1", "--data-dir", dir_.Join("nowhere")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("brewline table sync"), std::string::npos);
  EXPECT_EQ(Run({"sql"}).exit_code, 2);
  EXPECT_EQ(Run({"table", "--help"}).exit_code, 0);
  EXPECT_EQ(Run({"table", "sync", "--help"}).exit_code, 0);
}

TEST_F(TableCliTest, DdlAndSchema) {
  auto ddl = Run({"table", "ddl", "--athena", "--bucket", "my-cleaned", "--database", "db1"});
  ASSERT_EQ(ddl.exit_code, 0) << ddl.err;
  EXPECT_NE(ddl.out.find("CREATE EXTERNAL TABLE IF NOT EXISTS `db1`.`cleaned_csv`"), std::string::npos);
  EXPECT_NE(ddl.out.find("s3://my-cleaned/${datehour}/"), std::string::npos);
  EXPECT_NE(ddl.out.find("OpenCSVSerde"), std::string::npos);
  auto local = Run({"table", "ddl"});
  EXPECT_NE(local.out.find("CREATE TABLE IF NOT EXISTS cleaned"), std::string::npos);
  auto schema = Run({"table", "schema", "--json"});
  ASSERT_EQ(schema.exit_code, 0);
  auto j = nlohmann::json::parse(schema.out);
  EXPECT_EQ(j["columns"].size(), 11u);
  EXPECT_EQ(j["athena"]["glue_columns"][8]["name"], "ph");
}

}  // namespace
}  // namespace brewline::table
