#include "table/sql_query.h"

#include <sqlite3.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "common/json_escape.h"
#include "table/sqlite_db.h"

namespace brewline::table {
namespace {

// Why the authorizer said no, for a message better than SQLite's "not authorized".
struct AuthState {
  std::string denied;
};

// Pragmas that only read. The first group takes a table or index name as its argument; the second would set
// something when given a value, so it is allowed only without one.
bool IsReadPragma(const char* name, const char* arg) {
  static const char* const kNameArg[] = {"table_info", "table_xinfo", "table_list", "index_list", "index_info",
                                         "index_xinfo", "foreign_key_list"};
  static const char* const kNoArg[] = {"database_list", "function_list", "pragma_list", "collation_list",
                                       "compile_options", "user_version", "schema_version", "page_count",
                                       "page_size", "freelist_count", "journal_mode", "encoding"};
  if (name == nullptr) return false;
  for (const char* a : kNameArg) {
    if (std::strcmp(name, a) == 0) return true;
  }
  for (const char* a : kNoArg) {
    if (std::strcmp(name, a) == 0) return arg == nullptr;
  }
  return false;
}

const char* ActionName(int action) {
  switch (action) {
    case SQLITE_INSERT: return "INSERT";
    case SQLITE_UPDATE: return "UPDATE";
    case SQLITE_DELETE: return "DELETE";
    case SQLITE_CREATE_TABLE: case SQLITE_CREATE_TEMP_TABLE: return "CREATE TABLE";
    case SQLITE_CREATE_INDEX: case SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX";
    case SQLITE_CREATE_VIEW: case SQLITE_CREATE_TEMP_VIEW: return "CREATE VIEW";
    case SQLITE_CREATE_TRIGGER: case SQLITE_CREATE_TEMP_TRIGGER: return "CREATE TRIGGER";
    case SQLITE_DROP_TABLE: case SQLITE_DROP_TEMP_TABLE: return "DROP TABLE";
    case SQLITE_DROP_INDEX: case SQLITE_DROP_TEMP_INDEX: return "DROP INDEX";
    case SQLITE_DROP_VIEW: case SQLITE_DROP_TEMP_VIEW: return "DROP VIEW";
    case SQLITE_DROP_TRIGGER: case SQLITE_DROP_TEMP_TRIGGER: return "DROP TRIGGER";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_TRANSACTION: return "transaction control";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    case SQLITE_REINDEX: return "REINDEX";
    case SQLITE_ANALYZE: return "ANALYZE";
    case SQLITE_PRAGMA: return "PRAGMA";
    case SQLITE_CREATE_VTABLE: return "CREATE VIRTUAL TABLE";
    case SQLITE_DROP_VTABLE: return "DROP VIRTUAL TABLE";
    default: return "this statement";
  }
}

int Authorize(void* user, int action, const char* a1, const char* a2, const char* /*db*/, const char* /*trigger*/) {
  auto* state = static_cast<AuthState*>(user);
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    case SQLITE_PRAGMA:
      if (IsReadPragma(a1, a2)) return SQLITE_OK;
      state->denied = std::string("PRAGMA ") + (a1 ? a1 : "") + (a2 ? " with a value" : "");
      return SQLITE_DENY;
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
      // DDL first asks to write the schema table and then for the DDL action itself; let the schema-table
      // check through so the refusal names the DDL ("DROP TABLE"). Such statements are still refused: the
      // DDL check denies them, sqlite3_stmt_readonly is false, and the connection is read-only.
      if (a1 != nullptr && (std::strcmp(a1, "sqlite_master") == 0 || std::strcmp(a1, "sqlite_schema") == 0 ||
                            std::strcmp(a1, "sqlite_temp_master") == 0)) {
        return SQLITE_OK;
      }
      [[fallthrough]];
    default:
      if (state->denied.empty()) state->denied = ActionName(action);
      return SQLITE_DENY;
  }
}

Status Refused(const std::string& what) {
  return PermissionDenied("read-only: " + what + " is refused; `brewline sql` only reads the table");
}

bool OnlySeparators(std::string_view s) {
  for (char c : s) {
    if (c != ';' && c != ' ' && c != '\n' && c != '\t' && c != '\r') return false;
  }
  return true;
}

std::string Real(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return ec == std::errc() ? std::string(buf, p) : std::to_string(d);
}

void AppendCsvField(std::string* out, std::string_view s) {
  bool quote = s.find_first_of(",\"\n\r") != std::string_view::npos;
  if (!quote) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

bool IsNumeric(const SqlValue& v) { return v.type == SqlValue::Type::kInteger || v.type == SqlValue::Type::kReal; }

}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  return InvalidArgument("unknown format '" + std::string(name) + "' (table|csv|json)");
}

std::string ValueText(const SqlValue& v) {
  switch (v.type) {
    case SqlValue::Type::kNull: return "";
    case SqlValue::Type::kInteger: return std::to_string(v.i);
    case SqlValue::Type::kReal: return Real(v.d);
    case SqlValue::Type::kText: return v.text;
    case SqlValue::Type::kBlob: return v.text;
  }
  return "";
}

Result<QueryResult> RunReadOnlyQuery(const std::string& db_path, std::string_view sql) {
  auto db = Db::Open(db_path, Db::Mode::kReadOnly);
  if (!db.ok()) {
    return NotFound("no table database at " + db_path + " (run `brewline table sync` first): " +
                    db.status().message());
  }
  AuthState auth;
  sqlite3_set_authorizer((*db)->raw(), Authorize, &auth);
  std::string_view tail;
  auto stmt = (*db)->Prepare(sql, &tail);
  if (!stmt.ok()) {
    if (!auth.denied.empty()) return Refused(auth.denied);
    return InvalidArgument("SQL error: " + stmt.status().message());
  }
  if ((*stmt)->raw() == nullptr) return InvalidArgument("SQL error: empty query");
  if (!(*stmt)->ReadOnly()) return Refused("a statement that writes");
  if (!OnlySeparators(tail)) {
    auto next = (*db)->Prepare(tail);
    if (!next.ok() && !auth.denied.empty()) return Refused(auth.denied);
    if (!next.ok() || (*next)->raw() != nullptr) {
      return InvalidArgument("SQL error: one statement per query, found more after the first ';'");
    }
  }
  Stmt& s = **stmt;
  QueryResult result;
  const int n = s.ColumnCount();
  for (int i = 0; i < n; ++i) result.columns.push_back(s.ColumnName(i));
  for (;;) {
    auto row = s.Step();
    if (!row.ok()) {
      if (!auth.denied.empty()) return Refused(auth.denied);
      return Status(row.status().code() == StatusCode::kUnavailable ? StatusCode::kUnavailable
                                                                     : StatusCode::kInvalidArgument,
                    "SQL error: " + row.status().message());
    }
    if (!*row) break;
    std::vector<SqlValue> values(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      SqlValue& v = values[static_cast<size_t>(i)];
      switch (s.ColumnType(i)) {
        case SQLITE_INTEGER: v.type = SqlValue::Type::kInteger; v.i = s.ColumnInt(i); break;
        case SQLITE_FLOAT: v.type = SqlValue::Type::kReal; v.d = s.ColumnDouble(i); break;
        case SQLITE_TEXT: v.type = SqlValue::Type::kText; v.text = s.ColumnText(i); break;
        case SQLITE_BLOB: v.type = SqlValue::Type::kBlob; v.text = s.ColumnText(i); break;
        default: break;
      }
    }
    result.rows.push_back(std::move(values));
  }
  return result;
}

std::string FormatResult(const QueryResult& r, OutputFormat format) {
  std::string out;
  switch (format) {
    case OutputFormat::kCsv: {
      for (size_t i = 0; i < r.columns.size(); ++i) {
        if (i) out += ',';
        AppendCsvField(&out, r.columns[i]);
      }
      out += '\n';
      for (const auto& row : r.rows) {
        for (size_t i = 0; i < row.size(); ++i) {
          if (i) out += ',';
          AppendCsvField(&out, ValueText(row[i]));
        }
        out += '\n';
      }
      return out;
    }
    case OutputFormat::kJson: {
      out += '[';
      for (size_t r_i = 0; r_i < r.rows.size(); ++r_i) {
        out += r_i ? ",\n{" : "\n{";
        const auto& row = r.rows[r_i];
        for (size_t i = 0; i < row.size(); ++i) {
          if (i) out += ',';
          AppendJsonString(&out, r.columns[i]);
          out += ':';
          const SqlValue& v = row[i];
          if (v.type == SqlValue::Type::kNull || (v.type == SqlValue::Type::kReal && !std::isfinite(v.d))) {
            out += "null";
          } else if (IsNumeric(v)) {
            out += ValueText(v);
          } else {
            AppendJsonString(&out, v.text);
          }
        }
        out += '}';
      }
      out += r.rows.empty() ? "]\n" : "\n]\n";
      return out;
    }
    case OutputFormat::kTable: {
      std::vector<size_t> width(r.columns.size());
      std::vector<std::vector<std::string>> cells;
      for (size_t i = 0; i < r.columns.size(); ++i) width[i] = r.columns[i].size();
      for (const auto& row : r.rows) {
        std::vector<std::string> line;
        for (size_t i = 0; i < row.size(); ++i) {
          line.push_back(row[i].type == SqlValue::Type::kNull ? "NULL" : ValueText(row[i]));
          width[i] = std::max(width[i], line.back().size());
        }
        cells.push_back(std::move(line));
      }
      auto pad = [&](const std::string& s, size_t w, bool right) {
        std::string fill(w > s.size() ? w - s.size() : 0, ' ');
        return right ? fill + s : s + fill;
      };
      for (size_t i = 0; i < r.columns.size(); ++i) {
        out += (i ? " | " : "") + pad(r.columns[i], width[i], false);
      }
      out += '\n';
      for (size_t i = 0; i < r.columns.size(); ++i) out += (i ? "-+-" : "") + std::string(width[i], '-');
      out += '\n';
      for (size_t j = 0; j < cells.size(); ++j) {
        for (size_t i = 0; i < cells[j].size(); ++i) {
          out += (i ? " | " : "") + pad(cells[j][i], width[i], IsNumeric(r.rows[j][i]));
        }
        out += '\n';
      }
      out += "(" + std::to_string(r.rows.size()) + (r.rows.size() == 1 ? " row)\n" : " rows)\n");
      return out;
    }
  }
  return out;
}

}  // namespace brewline::table
