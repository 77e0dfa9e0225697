#include "table/athena_ddl.h"

#include "beer/schema.h"

namespace brewline::table {
namespace {

std::string HiveQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string ViewType(beer::ColumnType t) {
  switch (t) {
    case beer::ColumnType::kInteger:
      return "bigint";
    case beer::ColumnType::kText:
      return "string";
    case beer::ColumnType::kReal:
      return "double";
  }
  return "string";
}

}  // namespace

std::vector<AthenaColumn> AthenaColumns() {
  std::vector<AthenaColumn> cols;
  for (const auto& c : beer::kCleanedColumns) {
    cols.push_back({std::string(c.name), "string", ViewType(c.type), std::string(c.description)});
  }
  return cols;
}

std::string AthenaLocation(const AthenaOptions& options) {
  std::string loc = "s3://" + options.bucket + "/" + options.prefix;
  if (loc.back() != '/') loc += '/';
  return loc;
}

std::vector<std::pair<std::string, std::string>> AthenaTableProperties(const AthenaOptions& options) {
  const std::string key(kAthenaPartitionKey);
  return {
      {"projection.enabled", "true"},
      {"projection." + key + ".type", "date"},
      {"projection." + key + ".format", "yyyy/MM/dd/HH"},
      {"projection." + key + ".range", options.range_start + ",NOW"},
      {"projection." + key + ".interval", "1"},
      {"projection." + key + ".interval.unit", "HOURS"},
      {"storage.location.template", AthenaLocation(options) + "${" + key + "}/"},
  };
}

std::string AthenaCreateTableDdl(const AthenaOptions& options) {
  std::string ddl = "CREATE EXTERNAL TABLE IF NOT EXISTS `" + options.database + "`.`" + options.raw_table + "` (\n";
  auto cols = AthenaColumns();
  for (size_t i = 0; i < cols.size(); ++i) {
    ddl += "  `" + cols[i].name + "` " + cols[i].glue_type + " COMMENT " + HiveQuote(cols[i].description);
    ddl += i + 1 < cols.size() ? ",\n" : "\n";
  }
  ddl += ")\n";
  ddl += "PARTITIONED BY (`" + std::string(kAthenaPartitionKey) + "` string)\n";
  ddl += "ROW FORMAT SERDE " + HiveQuote(kAthenaSerde) + "\n";
  ddl += "WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '\"', 'escapeChar' = '\\\\')\n";
  ddl += "STORED AS INPUTFORMAT " + HiveQuote(kAthenaInputFormat) + "\n";
  ddl += "OUTPUTFORMAT " + HiveQuote(kAthenaOutputFormat) + "\n";
  ddl += "LOCATION " + HiveQuote(AthenaLocation(options)) + "\n";
  ddl += "TBLPROPERTIES (\n";
  auto props = AthenaTableProperties(options);
  for (size_t i = 0; i < props.size(); ++i) {
    ddl += "  " + HiveQuote(props[i].first) + " = " + HiveQuote(props[i].second);
    ddl += i + 1 < props.size() ? ",\n" : "\n";
  }
  ddl += ");\n";
  return ddl;
}

std::string AthenaCreateViewDdl(const AthenaOptions& options) {
  // Presto/Trino SQL (views are not Hive DDL): identifiers in double quotes, TRY_CAST so that one bad value
  // yields NULL instead of failing the whole query (the local sync rejects such records instead).
  std::string ddl = "CREATE OR REPLACE VIEW \"" + options.database + "\".\"" + options.view + "\" AS\nSELECT\n";
  for (const AthenaColumn& c : AthenaColumns()) {
    if (c.view_type == "string") {
      ddl += "  \"" + c.name + "\",\n";
    } else {
      ddl += "  TRY_CAST(NULLIF(\"" + c.name + "\", '') AS " + c.view_type + ") AS \"" + c.name + "\",\n";
    }
  }
  ddl += "  \"" + std::string(kAthenaPartitionKey) + "\",\n";
  ddl += "  \"$path\" AS object_key\n";
  ddl += "FROM \"" + options.database + "\".\"" + options.raw_table + "\";\n";
  return ddl;
}

std::string AthenaDdl(const AthenaOptions& options) {
  return AthenaCreateTableDdl(options) + "\n" + AthenaCreateViewDdl(options);
}

}  // namespace brewline::table
