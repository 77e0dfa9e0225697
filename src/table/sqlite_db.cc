#include "table/sqlite_db.h"

#include <sqlite3.h>

#include <string>

namespace brewline::table {
namespace {

StatusCode MapCode(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return StatusCode::kUnavailable;
    case SQLITE_FULL:
      return StatusCode::kResourceExhausted;
    case SQLITE_IOERR:
      return StatusCode::kIOError;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return StatusCode::kCorruption;
    case SQLITE_READONLY:
    case SQLITE_AUTH:
    case SQLITE_PERM:
      return StatusCode::kPermissionDenied;
    case SQLITE_CANTOPEN:
      return StatusCode::kNotFound;
    case SQLITE_CONSTRAINT:
      return StatusCode::kFailedPrecondition;
    case SQLITE_ERROR:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
      return StatusCode::kInvalidArgument;
    default:
      return StatusCode::kInternal;
  }
}

// SQLite messages are one line already; make sure of it for the CLI's one-line contract.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

}  // namespace

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, Mode mode, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return Status(MapCode(rc), "open " + path + ": " + OneLine(msg));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  return std::unique_ptr<Db>(new Db(raw));
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::LastError(std::string_view what) const {
  int rc = sqlite3_extended_errcode(db_);
  std::string msg = OneLine(sqlite3_errmsg(db_));
  if (what.empty()) return Status(MapCode(rc), msg);
  return Status(MapCode(rc), std::string(what) + ": " + msg);
}

Status Db::Exec(std::string_view sql) {
  std::string copy(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return Status(MapCode(rc), OneLine(msg));
  }
  return Status::OK();
}

Result<std::unique_ptr<Stmt>> Db::Prepare(std::string_view sql, std::string_view* tail) {
  sqlite3_stmt* stmt = nullptr;
  const char* rest = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, &rest);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return LastError("");
  }
  if (tail != nullptr) *tail = sql.substr(static_cast<size_t>(rest - sql.data()));
  return std::make_unique<Stmt>(this, stmt);
}

Result<int64_t> Db::QueryInt(std::string_view sql, int64_t fallback) {
  ASSIGN_OR_RETURN(auto stmt, Prepare(sql));
  if (stmt == nullptr || stmt->raw() == nullptr) return fallback;
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row || stmt->ColumnType(0) == SQLITE_NULL) return fallback;
  return stmt->ColumnInt(0);
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

void Stmt::BindInt(int index, int64_t v) { sqlite3_bind_int64(stmt_, index, v); }
void Stmt::BindDouble(int index, double v) { sqlite3_bind_double(stmt_, index, v); }
void Stmt::BindOptionalDouble(int index, const std::optional<double>& v) {
  if (v.has_value()) {
    sqlite3_bind_double(stmt_, index, *v);
  } else {
    sqlite3_bind_null(stmt_, index);
  }
}
void Stmt::BindText(int index, std::string_view v) {
  sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void Stmt::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status err = db_->LastError("");
  sqlite3_reset(stmt_);  // ready for the next use; the error was captured above
  return err;
}

Status Stmt::Run() {
  for (;;) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) break;
  }
  Reset(false);
  return Status::OK();
}

void Stmt::Reset(bool clear_bindings) {
  sqlite3_reset(stmt_);
  if (clear_bindings) sqlite3_clear_bindings(stmt_);
}

int Stmt::ColumnCount() const { return sqlite3_column_count(stmt_); }
std::string Stmt::ColumnName(int i) const {
  const char* n = sqlite3_column_name(stmt_, i);
  return n ? n : "";
}
int Stmt::ColumnType(int i) const { return sqlite3_column_type(stmt_, i); }
int64_t Stmt::ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
double Stmt::ColumnDouble(int i) const { return sqlite3_column_double(stmt_, i); }
std::string Stmt::ColumnText(int i) const {
  const unsigned char* t = sqlite3_column_text(stmt_, i);
  int n = sqlite3_column_bytes(stmt_, i);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(n)) : std::string();
}
bool Stmt::ReadOnly() const { return sqlite3_stmt_readonly(stmt_) != 0; }

std::string SqlQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  out += '\'';
  return out;
}

}  // namespace brewline::table
