// The Athena DDL and the machine-readable schema both derive from beer::kCleanedColumns.
#include "table/athena_ddl.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "beer/schema.h"
#include "table/table_schema.h"

namespace brewline::table {
namespace {

TEST(AthenaDdlTest, ColumnsFollowTheSchemaInOrder) {
  auto cols = AthenaColumns();
  ASSERT_EQ(cols.size(), beer::kCleanedColumns.size());
  for (size_t i = 0; i < cols.size(); ++i) {
    EXPECT_EQ(cols[i].name, beer::kCleanedColumns[i].name);
    EXPECT_EQ(cols[i].glue_type, "string");  // OpenCSVSerde cannot read empty numerics
  }
  EXPECT_EQ(cols[0].view_type, "bigint");
  EXPECT_EQ(cols[1].view_type, "string");
  EXPECT_EQ(cols[2].view_type, "double");
}

TEST(AthenaDdlTest, TableUsesOpenCsvSerdeAndProjection) {
  AthenaOptions o;
  o.bucket = "brewline-cleaned-123";
  std::string ddl = AthenaDdl(o);
  EXPECT_NE(ddl.find("CREATE EXTERNAL TABLE IF NOT EXISTS `brewline`.`cleaned_csv`"), std::string::npos) << ddl;
  EXPECT_NE(ddl.find("'org.apache.hadoop.hive.serde2.OpenCSVSerde'"), std::string::npos);
  EXPECT_NE(ddl.find("'quoteChar' = '\"'"), std::string::npos);
  EXPECT_NE(ddl.find("PARTITIONED BY (`datehour` string)"), std::string::npos);
  EXPECT_NE(ddl.find("'projection.datehour.format' = 'yyyy/MM/dd/HH'"), std::string::npos);
  EXPECT_NE(ddl.find("'projection.datehour.range' = '2021/01/01/00,NOW'"), std::string::npos);
  EXPECT_NE(ddl.find("'projection.datehour.interval.unit' = 'HOURS'"), std::string::npos);
  EXPECT_NE(ddl.find("'storage.location.template' = 's3://brewline-cleaned-123/${datehour}/'"), std::string::npos);
  EXPECT_NE(ddl.find("LOCATION 's3://brewline-cleaned-123/'"), std::string::npos);
  EXPECT_NE(ddl.find("TRY_CAST(NULLIF(\"abv\", '') AS double) AS \"abv\""), std::string::npos);
  EXPECT_NE(ddl.find("TRY_CAST(NULLIF(\"id\", '') AS bigint) AS \"id\""), std::string::npos);
  EXPECT_NE(ddl.find("CREATE OR REPLACE VIEW \"brewline\".\"cleaned\""), std::string::npos);
  EXPECT_EQ(ddl.find("skip.header"), std::string::npos);  // Firehose objects have no header
}

TEST(AthenaDdlTest, PrefixGoesBeforeTheHourLayout) {
  AthenaOptions o;
  o.prefix = "cleaned";
  EXPECT_EQ(AthenaLocation(o), "s3://cleaned/cleaned/");
  auto props = AthenaTableProperties(o);
  EXPECT_EQ(props.back().second, "s3://cleaned/cleaned/${datehour}/");
}

TEST(TableSchemaTest, JsonDumpMatchesSchema) {
  auto j = nlohmann::json::parse(SchemaJson());
  EXPECT_EQ(j["table"], "cleaned");
  const auto& cols = j["columns"];
  ASSERT_EQ(cols.size(), beer::kCleanedColumns.size() + 2);
  for (size_t i = 0; i < beer::kCleanedColumns.size(); ++i) {
    EXPECT_EQ(cols[i]["name"], std::string(beer::kCleanedColumns[i].name));
    EXPECT_EQ(cols[i]["nullable"], beer::kCleanedColumns[i].nullable);
    EXPECT_FALSE(cols[i]["lineage"].get<bool>());
  }
  EXPECT_EQ(cols[0]["sql_type"], "INTEGER");
  EXPECT_EQ(cols[1]["sql_type"], "TEXT");
  EXPECT_EQ(cols[8]["sql_type"], "REAL");
  EXPECT_TRUE(cols[9]["lineage"].get<bool>());
  EXPECT_EQ(j["athena"]["serde"], "org.apache.hadoop.hive.serde2.OpenCSVSerde");
  EXPECT_EQ(j["athena"]["glue_columns"].size(), beer::kCleanedColumns.size());
  EXPECT_EQ(j["athena"]["partition_keys"][0]["name"], "datehour");
}

TEST(TableSchemaTest, LayoutSqlDerivesFromSchema) {
  std::string sql = CreateLayoutSql();
  EXPECT_NE(sql.find("id INTEGER NOT NULL"), std::string::npos) << sql;
  EXPECT_NE(sql.find("name TEXT NOT NULL"), std::string::npos);
  EXPECT_NE(sql.find("ph REAL,"), std::string::npos);
  EXPECT_NE(sql.find("object_key TEXT NOT NULL"), std::string::npos);
  EXPECT_NE(sql.find("CREATE VIEW IF NOT EXISTS beers"), std::string::npos);
  EXPECT_NE(sql.find("CREATE VIEW IF NOT EXISTS quality_issues"), std::string::npos);
}

}  // namespace
}  // namespace brewline::table
