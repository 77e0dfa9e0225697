// A thin RAII layer over the SQLite C API, private to the table subsystem: a connection (Db) and a prepared
// statement (Stmt) whose failures come back as Status values carrying SQLite's one-line message.
// The sqlite3 types are only forward-declared here so that callers of table/ never include <sqlite3.h>.
//
// Thread-safety: a Db and its Stmts belong to one thread at a time (the owner serialises access).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace brewline::table {

class Stmt;

class Db {
 public:
  enum class Mode { kReadWriteCreate, kReadOnly };

  // Opens (and with kReadWriteCreate creates) the database at `path`. busy_timeout makes a connection wait
  // for another writer's lock instead of failing at once.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, Mode mode,
                                          int busy_timeout_ms = 10000);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return no rows of interest.
  Status Exec(std::string_view sql);
  // Prepares exactly the first statement of `sql`; *tail (when given) receives the unparsed rest.
  Result<std::unique_ptr<Stmt>> Prepare(std::string_view sql, std::string_view* tail = nullptr);
  // Runs a query that yields a single integer (e.g. COUNT(*)); a NULL or no row yields `fallback`.
  Result<int64_t> QueryInt(std::string_view sql, int64_t fallback = 0);

  // The last error as a Status (code mapped from SQLite's: BUSY → Unavailable, FULL → ResourceExhausted, …).
  Status LastError(std::string_view what) const;
  sqlite3* raw() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// A prepared statement. Bind indexes are 1-based as in SQLite.
class Stmt {
 public:
  Stmt(Db* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  void BindInt(int index, int64_t v);
  void BindDouble(int index, double v);
  void BindOptionalDouble(int index, const std::optional<double>& v);
  // The text is copied by SQLite (SQLITE_TRANSIENT), so `v` need not outlive the call.
  void BindText(int index, std::string_view v);
  void BindNull(int index);

  // Advances: true when a row is available, false when done; an error otherwise.
  Result<bool> Step();
  // Steps to completion, ignoring rows (for INSERT/UPDATE/DELETE).
  Status Run();
  // Makes the statement reusable (keeps bindings unless clear is set).
  void Reset(bool clear_bindings = true);

  int ColumnCount() const;
  std::string ColumnName(int i) const;
  // SQLITE_INTEGER=1, SQLITE_FLOAT=2, SQLITE_TEXT=3, SQLITE_BLOB=4, SQLITE_NULL=5.
  int ColumnType(int i) const;
  int64_t ColumnInt(int i) const;
  double ColumnDouble(int i) const;
  std::string ColumnText(int i) const;
  bool ReadOnly() const;
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  Db* db_;
  sqlite3_stmt* stmt_;
};

// Quotes an SQL string literal ('it''s').
std::string SqlQuote(std::string_view s);

}  // namespace brewline::table
