// Read-only SQL over the table database, for `brewline sql` and for callers that want rows (status, the
// model's training-set reader). Writes are refused three ways: the connection is opened read-only, an
// authorizer denies every action but reading (so the refusal names what was attempted), and
// sqlite3_stmt_readonly is checked before running. Errors are one line: "SQL error: …" or "read-only: …".
// Thread-safe (each call opens its own connection).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::table {

struct SqlValue {
  enum class Type { kNull, kInteger, kReal, kText, kBlob };
  Type type = Type::kNull;
  int64_t i = 0;
  double d = 0;
  std::string text;  // kText (and kBlob bytes)
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<SqlValue>> rows;
};

enum class OutputFormat { kTable, kCsv, kJson };

// "table" | "csv" | "json"; InvalidArgument otherwise.
Result<OutputFormat> ParseOutputFormat(std::string_view name);

// Runs one statement read-only against the database at `db_path` (NotFound if it does not exist yet).
// More than one statement is InvalidArgument; a write is PermissionDenied; a bad query is InvalidArgument.
Result<QueryResult> RunReadOnlyQuery(const std::string& db_path, std::string_view sql);

// Renders a result: kTable aligned with a header rule and "(N rows)"; kCsv RFC 4180 with a header line and
// NULL as an empty field; kJson an array of objects with numbers as numbers and NULL as null.
std::string FormatResult(const QueryResult& result, OutputFormat format);
// A value as text (reals in the shortest form that round-trips; NULL as "").
std::string ValueText(const SqlValue& v);

}  // namespace brewline::table
