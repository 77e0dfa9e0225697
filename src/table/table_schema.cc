#include "table/table_schema.h"

#include "beer/schema.h"
#include "common/json_escape.h"
#include "table/athena_ddl.h"

namespace brewline::table {
namespace {

std::string SqlType(beer::ColumnType t) {
  switch (t) {
    case beer::ColumnType::kInteger:
      return "INTEGER";
    case beer::ColumnType::kText:
      return "TEXT";
    case beer::ColumnType::kReal:
      return "REAL";
  }
  return "BLOB";
}

bool HasColumn(std::string_view name) {
  for (const auto& c : beer::kCleanedColumns) {
    if (c.name == name) return true;
  }
  return false;
}

// The quality rules: each is (issue name, SQL condition over a `cleaned` row). Only rules whose columns exist
// in the schema are emitted, so a schema change cannot leave a view referring to a missing column.
struct Rule {
  const char* issue;
  std::vector<const char*> needs;
  const char* condition;
  const char* detail;  // an SQL expression describing the offending value(s)
};

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = {
      {"ph_out_of_range", {"ph"}, "ph < 0 OR ph > 14", "'ph=' || ph"},
      {"ibu_negative", {"ibu"}, "ibu < 0", "'ibu=' || ibu"},
      // Commercial beers top out around 150–200 measured IBU; Punk API has a few IBU values that are really
      // the original gravity typed twice (e.g. 1085), caught by both rules.
      {"ibu_implausible", {"ibu"}, "ibu > 300", "'ibu=' || ibu"},
      {"ibu_equals_og", {"ibu", "target_og"}, "ibu = target_og", "'ibu=' || ibu || ' target_og=' || target_og"},
      {"fg_above_og", {"target_fg", "target_og"}, "target_fg > target_og",
       "'target_fg=' || target_fg || ' target_og=' || target_og"},
      {"gravity_out_of_range", {"target_og"}, "target_og < 990 OR target_og > 1200", "'target_og=' || target_og"},
      {"abv_out_of_range", {"abv"}, "abv < 0 OR abv > 100", "'abv=' || abv"},
      // The strongest beers ever brewed are ~67% (freeze-distilled); above 20% is worth a look.
      {"abv_implausible", {"abv"}, "abv > 20 AND abv <= 100", "'abv=' || abv"},
      {"colour_negative", {"ebc", "srm"}, "ebc < 0 OR srm < 0", "'ebc=' || ebc || ' srm=' || srm"},
      // EBC ≈ 1.97 × SRM; allow generous slack for rounding and differing measurement methods.
      {"srm_ebc_inconsistent", {"ebc", "srm"}, "abs(ebc - 1.97 * srm) > max(3.0, 0.3 * ebc)",
       "'ebc=' || ebc || ' srm=' || srm"},
  };
  return rules;
}

std::string QualityViewSql() {
  std::string sql = "CREATE VIEW IF NOT EXISTS quality_issues AS\n";
  bool first = true;
  for (const Rule& r : Rules()) {
    bool ok = true;
    for (const char* c : r.needs) ok = ok && HasColumn(c);
    if (!ok) continue;
    if (!first) sql += "UNION ALL\n";
    first = false;
    sql += "  SELECT object_key, line, id, name, '" + std::string(r.issue) + "' AS issue, " + r.detail +
           " AS detail FROM cleaned WHERE " + r.condition + "\n";
  }
  if (first) sql += "  SELECT NULL AS object_key, NULL AS line, NULL AS id, NULL AS name, NULL AS issue, NULL AS detail WHERE 0\n";
  sql += ";\n";
  return sql;
}

}  // namespace

std::vector<SqlColumn> CleanedSqlColumns() {
  std::vector<SqlColumn> cols;
  for (const auto& c : beer::kCleanedColumns) {
    cols.push_back({std::string(c.name), SqlType(c.type), c.nullable, false, std::string(c.description)});
  }
  cols.push_back({std::string(kLineageKeyColumn), "TEXT", false, true, "key of the cleaned object the row came from"});
  cols.push_back({std::string(kLineageLineColumn), "INTEGER", false, true, "1-based record number in that object"});
  return cols;
}

std::string SchemaColumnList() {
  std::string out;
  for (const auto& c : beer::kCleanedColumns) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

std::string SchemaFingerprint() {
  std::string fp = "layout=" + std::to_string(kLayoutVersion);
  for (const SqlColumn& c : CleanedSqlColumns()) {
    fp += ";" + c.name + ":" + c.sql_type + (c.nullable ? "" : ":notnull");
  }
  return fp;
}

std::string CreateLayoutSql() {
  std::string sql = "CREATE TABLE IF NOT EXISTS cleaned (\n";
  auto cols = CleanedSqlColumns();
  for (size_t i = 0; i < cols.size(); ++i) {
    sql += "  " + cols[i].name + " " + cols[i].sql_type + (cols[i].nullable ? "" : " NOT NULL");
    sql += i + 1 < cols.size() ? ",\n" : "\n";
  }
  sql += ");\n";
  sql += "CREATE INDEX IF NOT EXISTS cleaned_by_object ON cleaned(object_key, line);\n";
  sql +=
      "CREATE TABLE IF NOT EXISTS objects (\n"
      "  key TEXT PRIMARY KEY,\n"
      "  etag TEXT NOT NULL,\n"
      "  size INTEGER NOT NULL,\n"
      "  rows INTEGER NOT NULL,\n"
      "  rejected INTEGER NOT NULL,\n"
      "  status TEXT NOT NULL CHECK (status IN ('loaded', 'deleted')),\n"
      "  loaded_at_ms INTEGER NOT NULL,\n"
      "  deleted_at_ms INTEGER\n"
      ");\n"
      "CREATE TABLE IF NOT EXISTS rejects (\n"
      "  object_key TEXT NOT NULL,\n"
      "  line INTEGER NOT NULL,\n"
      "  error TEXT NOT NULL,\n"
      "  raw TEXT NOT NULL\n"
      ");\n"
      "CREATE INDEX IF NOT EXISTS rejects_by_object ON rejects(object_key, line);\n"
      "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);\n";
  // `latest` is maintained by the sync (see object_loader.cc): for each id, the lineage of its latest arrival.
  // The delivery's keys start with the UTC hour and second of the oldest record, so key order is arrival order
  // (ties within one second fall to the key's uuid), and lines within an object are in arrival order. Keeping
  // it as a small table instead of an index on cleaned(id, …) keeps sync fast (inserts stay appends) and makes
  // `beers` a 1-row-per-id join instead of a window over every row.
  sql += "CREATE TABLE IF NOT EXISTS latest (id INTEGER PRIMARY KEY, object_key TEXT NOT NULL, line INTEGER NOT NULL);\n";
  std::string beer_cols;
  for (const auto& c : beer::kCleanedColumns) beer_cols += "c." + std::string(c.name) + ", ";
  sql += "CREATE VIEW IF NOT EXISTS beers AS\n  SELECT " + beer_cols +
         "c.object_key, c.line FROM latest l JOIN cleaned c ON c.object_key = l.object_key AND c.line = l.line;\n";
  sql += QualityViewSql();
  return sql;
}

std::string SchemaJson() {
  std::string out = "{\"table\":";
  AppendJsonString(&out, kTableName);
  out += ",\"columns\":[";
  auto cols = CleanedSqlColumns();
  auto athena = AthenaColumns();
  for (size_t i = 0; i < cols.size(); ++i) {
    const SqlColumn& c = cols[i];
    if (i) out += ",";
    out += "{\"name\":";
    AppendJsonString(&out, c.name);
    out += ",\"sql_type\":";
    AppendJsonString(&out, c.sql_type);
    out += ",\"athena_type\":";
    std::string at;
    for (const auto& a : athena) {
      if (a.name == c.name) at = a.view_type;
    }
    if (at.empty()) {
      out += "null";
    } else {
      AppendJsonString(&out, at);
    }
    out += ",\"nullable\":";
    out += c.nullable ? "true" : "false";
    out += ",\"lineage\":";
    out += c.lineage ? "true" : "false";
    out += ",\"description\":";
    AppendJsonString(&out, c.description);
    out += "}";
  }
  out += "],\"views\":[\"beers\",\"quality_issues\"],\"athena\":{\"serde\":";
  AppendJsonString(&out, kAthenaSerde);
  out += ",\"glue_columns\":[";
  for (size_t i = 0; i < athena.size(); ++i) {
    if (i) out += ",";
    out += "{\"name\":";
    AppendJsonString(&out, athena[i].name);
    out += ",\"type\":";
    AppendJsonString(&out, athena[i].glue_type);
    out += ",\"view_type\":";
    AppendJsonString(&out, athena[i].view_type);
    out += "}";
  }
  out += "],\"partition_keys\":[{\"name\":";
  AppendJsonString(&out, kAthenaPartitionKey);
  out += ",\"type\":\"string\"}]}}";
  return out;
}

}  // namespace brewline::table
