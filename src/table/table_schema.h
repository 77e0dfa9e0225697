// The SQL shape of the `cleaned` table, derived from beer::kCleanedColumns (the one schema) plus lineage, and
// the bookkeeping tables the sync keeps beside it. Everything here is a pure function of the schema, so the
// CLI (`table schema --json`), tests and the Athena DDL generator agree by construction.
//
// Database layout (<data-dir>/table/brewline.db, WAL mode):
//   cleaned(<schema columns>, object_key TEXT NOT NULL, line INTEGER NOT NULL)  one row per good CSV record
//   objects(key PRIMARY KEY, etag, size, rows, rejected, status 'loaded'|'deleted', loaded_at_ms, deleted_at_ms)
//   rejects(object_key, line, error, raw)       malformed records, never loaded into `cleaned`
//   meta(name PRIMARY KEY, value)               schema fingerprint, last sync time
//   latest(id PRIMARY KEY, object_key, line)    per id, the lineage of its latest arrival (kept by the sync)
//   view beers            one row per beer id: the latest arrival (greatest object_key, then line)
//   view quality_issues   one row per (record, implausible value) — nothing is deleted
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brewline::table {

inline constexpr std::string_view kTableDir = "table";          // under the data dir
inline constexpr std::string_view kDbFileName = "brewline.db";  // in kTableDir
inline constexpr std::string_view kTableName = "cleaned";
inline constexpr std::string_view kErrorPrefix = "processing-failed/";  // the delivery's error output: not data
inline constexpr std::string_view kLineageKeyColumn = "object_key";
inline constexpr std::string_view kLineageLineColumn = "line";
// Bumped when the bookkeeping layout changes; the schema's own columns are fingerprinted separately.
inline constexpr int kLayoutVersion = 1;

// One column of the SQL table `cleaned`, in order.
struct SqlColumn {
  std::string name;
  std::string sql_type;  // INTEGER | TEXT | REAL
  bool nullable;
  bool lineage;          // object_key / line, not part of the beer schema
  std::string description;
};

std::vector<SqlColumn> CleanedSqlColumns();
// "CREATE TABLE IF NOT EXISTS cleaned (...)" and every other statement of the layout, idempotent.
std::string CreateLayoutSql();
// A string that changes whenever the schema's names, types or nullability change.
std::string SchemaFingerprint();
// Comma-separated names of the schema's columns (no lineage), e.g. "id, name, abv, …".
std::string SchemaColumnList();
// Machine-readable description: {"table":"cleaned","columns":[{"name","sql_type","athena_type",
// "nullable","lineage","description"}…],"views":[…],"athena":{…}} for scripts and the Terraform check.
std::string SchemaJson();

}  // namespace brewline::table
