#include "table/object_loader.h"

#include <sqlite3.h>

#include "beer/schema.h"
#include "table/cleaned_csv.h"
#include "table/cleaned_table.h"
#include "table/sqlite_db.h"
#include "table/table_schema.h"

namespace brewline::table {
namespace {

// `latest` and the lineage are keyed by the beer id, which the schema puts first.
static_assert(beer::kCleanedColumns[0].name == "id" && beer::kCleanedColumns[0].type == beer::ColumnType::kInteger &&
              !beer::kCleanedColumns[0].nullable);

// Rolls back unless committed, so every early return leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction() {
    if (open_) db_.Exec("ROLLBACK").IgnoreError();
  }
  Status Begin() {
    RETURN_IF_ERROR(db_.Exec("BEGIN IMMEDIATE"));
    open_ = true;
    return Status::OK();
  }
  Status Commit() {
    RETURN_IF_ERROR(db_.Exec("COMMIT"));
    open_ = false;
    return Status::OK();
  }

 private:
  Db& db_;
  bool open_ = false;
};

std::string InsertRowSql() {
  std::string cols, params;
  for (const SqlColumn& c : CleanedSqlColumns()) {
    if (!cols.empty()) {
      cols += ", ";
      params += ", ";
    }
    cols += c.name;
    params += "?";
  }
  return "INSERT INTO cleaned (" + cols + ") VALUES (" + params + ")";
}

}  // namespace

bool SameObject(const ManifestEntry& entry, const store::ObjectInfo& info) {
  if (entry.size != info.size) return false;
  if (!entry.etag.empty() && !info.etag.empty() && entry.etag != info.etag) return false;
  return true;
}

Result<std::unique_ptr<ObjectLoader>> ObjectLoader::Create(Db& db) {
  std::unique_ptr<ObjectLoader> l(new ObjectLoader(db));
  ASSIGN_OR_RETURN(l->lookup_, db.Prepare("SELECT etag, size, status FROM objects WHERE key = ?"));
  ASSIGN_OR_RETURN(l->insert_row_, db.Prepare(InsertRowSql()));
  ASSIGN_OR_RETURN(l->insert_reject_,
                   db.Prepare("INSERT INTO rejects (object_key, line, error, raw) VALUES (?, ?, ?, ?)"));
  ASSIGN_OR_RETURN(l->upsert_manifest_,
                   db.Prepare("INSERT OR REPLACE INTO objects (key, etag, size, rows, rejected, status, loaded_at_ms, "
                              "deleted_at_ms) VALUES (?, ?, ?, ?, ?, 'loaded', ?, NULL)"));
  ASSIGN_OR_RETURN(l->delete_rows_, db.Prepare("DELETE FROM cleaned WHERE object_key = ?"));
  ASSIGN_OR_RETURN(l->delete_rejects_, db.Prepare("DELETE FROM rejects WHERE object_key = ?"));
  ASSIGN_OR_RETURN(l->mark_deleted_,
                   db.Prepare("UPDATE objects SET status = 'deleted', deleted_at_ms = ?, rows = 0, rejected = 0 "
                              "WHERE key = ?"));
  // Keeps `latest` (the `beers` view's index): a row replaces an id's entry only when it arrived later.
  ASSIGN_OR_RETURN(l->upsert_latest_,
                   db.Prepare("INSERT INTO latest (id, object_key, line) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE "
                              "SET object_key = excluded.object_key, line = excluded.line "
                              "WHERE (excluded.object_key, excluded.line) > (latest.object_key, latest.line)"));
  ASSIGN_OR_RETURN(l->drop_latest_, db.Prepare("DELETE FROM latest WHERE object_key = ?"));
  // After an object's rows left: the ids that pointed into it get their latest remaining arrival (a full scan,
  // but only when objects are deleted or overwritten, which the delivery never does on its own).
  ASSIGN_OR_RETURN(l->rebuild_latest_,
                   db.Prepare("INSERT INTO latest (id, object_key, line) SELECT id, object_key, line FROM ("
                              "SELECT id, object_key, line, row_number() OVER (PARTITION BY id ORDER BY object_key "
                              "DESC, line DESC) AS r FROM cleaned WHERE id NOT IN (SELECT id FROM latest)) "
                              "WHERE r = 1"));
  return l;
}

ObjectLoader::~ObjectLoader() = default;

Result<std::optional<ManifestEntry>> ObjectLoader::Lookup(const std::string& key) {
  lookup_->Reset();
  lookup_->BindText(1, key);
  ASSIGN_OR_RETURN(bool row, lookup_->Step());
  std::optional<ManifestEntry> out;
  if (row) {
    out = ManifestEntry{lookup_->ColumnText(0), static_cast<uint64_t>(lookup_->ColumnInt(1)),
                        lookup_->ColumnText(2) == "loaded"};
  }
  lookup_->Reset();
  return out;
}

Status ObjectLoader::RecordReject(const std::string& key, int64_t line, std::string_view error,
                                  std::string_view raw, SyncStats* stats) {
  insert_reject_->BindText(1, key);
  insert_reject_->BindInt(2, line);
  insert_reject_->BindText(3, error);
  insert_reject_->BindText(4, raw);
  RETURN_IF_ERROR(insert_reject_->Run());
  stats->lines_rejected++;
  if (stats->first_reject.empty()) stats->first_reject = key + ":" + std::to_string(line) + ": " + std::string(error);
  return Status::OK();
}

Result<int64_t> ObjectLoader::DeleteRows(const std::string& key) {
  delete_rows_->BindText(1, key);
  RETURN_IF_ERROR(delete_rows_->Run());
  int64_t removed = sqlite3_changes64(db_.raw());
  delete_rejects_->BindText(1, key);
  RETURN_IF_ERROR(delete_rejects_->Run());
  if (removed > 0) {
    drop_latest_->BindText(1, key);
    RETURN_IF_ERROR(drop_latest_->Run());
    if (sqlite3_changes64(db_.raw()) > 0) RETURN_IF_ERROR(rebuild_latest_->Run());
  }
  return removed;
}

Status ObjectLoader::Load(const store::ObjectInfo& info, std::string_view body, const Status& body_error,
                          int64_t now_ms, SyncStats* stats) {
  Transaction txn(db_);
  RETURN_IF_ERROR(txn.Begin());
  ASSIGN_OR_RETURN(auto entry, Lookup(info.key));
  if (entry.has_value() && entry->loaded && SameObject(*entry, info)) {
    stats->objects_skipped++;  // another syncer got here first
    return txn.Commit();
  }
  if (entry.has_value() && entry->loaded) {
    ASSIGN_OR_RETURN(int64_t removed, DeleteRows(info.key));
    stats->rows_removed += removed;
    stats->objects_replaced++;
  } else {
    // A previously deleted object that came back may have left nothing; clear rejects to be safe.
    ASSIGN_OR_RETURN(int64_t removed, DeleteRows(info.key));
    stats->rows_removed += removed;
    stats->objects_loaded++;
  }

  int64_t rows = 0, rejected = 0;
  const int64_t rejected_before = stats->lines_rejected;
  if (!body_error.ok()) {
    // The whole object is unreadable (e.g. damaged gzip): one reject at line 0 so it is visible, not lost.
    RETURN_IF_ERROR(RecordReject(info.key, 0, body_error.message(), "", stats));
  } else {
    constexpr int kColumns = static_cast<int>(beer::kCleanedColumns.size());
    CleanedCsvReader reader(body);
    CsvRecord rec;
    while (reader.Next(&rec)) {
      if (!rec.ok) {
        RETURN_IF_ERROR(RecordReject(info.key, rec.line, rec.error, rec.raw, stats));
        continue;
      }
      for (int c = 0; c < kColumns; ++c) {
        const CsvValue& v = rec.values[static_cast<size_t>(c)];
        if (v.is_null) {
          insert_row_->BindNull(c + 1);
          continue;
        }
        switch (beer::kCleanedColumns[static_cast<size_t>(c)].type) {
          case beer::ColumnType::kInteger:
            insert_row_->BindInt(c + 1, v.i);
            break;
          case beer::ColumnType::kReal:
            insert_row_->BindDouble(c + 1, v.d);
            break;
          case beer::ColumnType::kText:
            insert_row_->BindText(c + 1, v.text);
            break;
        }
      }
      insert_row_->BindText(kColumns + 1, info.key);
      insert_row_->BindInt(kColumns + 2, rec.line);
      RETURN_IF_ERROR(insert_row_->Run());
      upsert_latest_->BindInt(1, rec.values[0].i);
      upsert_latest_->BindText(2, info.key);
      upsert_latest_->BindInt(3, rec.line);
      RETURN_IF_ERROR(upsert_latest_->Run());
      ++rows;
    }
  }
  rejected = stats->lines_rejected - rejected_before;

  upsert_manifest_->BindText(1, info.key);
  upsert_manifest_->BindText(2, info.etag);
  upsert_manifest_->BindInt(3, static_cast<int64_t>(info.size));
  upsert_manifest_->BindInt(4, rows);
  upsert_manifest_->BindInt(5, rejected);
  upsert_manifest_->BindInt(6, now_ms);
  RETURN_IF_ERROR(upsert_manifest_->Run());
  RETURN_IF_ERROR(txn.Commit());
  stats->rows_loaded += rows;
  return Status::OK();
}

Status ObjectLoader::Remove(const std::string& key, int64_t now_ms, SyncStats* stats) {
  Transaction txn(db_);
  RETURN_IF_ERROR(txn.Begin());
  ASSIGN_OR_RETURN(auto entry, Lookup(key));
  if (!entry.has_value() || !entry->loaded) return txn.Commit();  // another syncer removed it
  ASSIGN_OR_RETURN(int64_t removed, DeleteRows(key));
  mark_deleted_->BindInt(1, now_ms);
  mark_deleted_->BindText(2, key);
  RETURN_IF_ERROR(mark_deleted_->Run());
  RETURN_IF_ERROR(txn.Commit());
  stats->rows_removed += removed;
  stats->objects_removed++;
  return Status::OK();
}

}  // namespace brewline::table
