#include "table/cleaned_table.h"

#include <map>
#include <unordered_map>

#include "common/log.h"
#include "table/bucket_listing.h"
#include "table/gzip.h"
#include "table/object_loader.h"
#include "table/sqlite_db.h"
#include "table/table_schema.h"

namespace brewline::table {
namespace {

// Manifest rows with status 'loaded', by key.
Result<std::unordered_map<std::string, ManifestEntry>> LoadedManifest(Db& db) {
  std::unordered_map<std::string, ManifestEntry> out;
  ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT key, etag, size FROM objects WHERE status = 'loaded'"));
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    out[stmt->ColumnText(0)] = ManifestEntry{stmt->ColumnText(1), static_cast<uint64_t>(stmt->ColumnInt(2)), true};
  }
  return out;
}

// The listing, or an empty one when the bucket does not exist yet and nothing was ever loaded (a fresh data
// dir). A missing bucket with loaded objects is an error rather than "everything was deleted".
Result<std::vector<store::ObjectInfo>> ListOrEmpty(store::ObjectStore& store, const std::string& bucket,
                                                  size_t loaded_count) {
  auto listing = ListDataObjects(store, bucket);
  if (!listing.ok() && listing.status().code() == StatusCode::kNotFound && loaded_count == 0) {
    return std::vector<store::ObjectInfo>{};
  }
  return listing;
}

}  // namespace

std::string CleanedTable::DbPath(const std::string& data_dir) {
  return JoinPath(JoinPath(data_dir, kTableDir), kDbFileName);
}

CleanedTable::CleanedTable(Clock& clock, std::unique_ptr<Db> db, std::string path)
    : clock_(clock), db_(std::move(db)), path_(std::move(path)) {}

CleanedTable::~CleanedTable() = default;

Result<std::unique_ptr<CleanedTable>> CleanedTable::Open(FileSystem& fs, Clock& clock, const std::string& data_dir) {
  RETURN_IF_ERROR(fs.CreateDirs(JoinPath(data_dir, kTableDir)));
  std::string path = DbPath(data_dir);
  ASSIGN_OR_RETURN(auto db, Db::Open(path, Db::Mode::kReadWriteCreate));
  std::unique_ptr<CleanedTable> t(new CleanedTable(clock, std::move(db), path));
  RETURN_IF_ERROR(t->Prepare().WithContext("open table " + path));
  return t;
}

Status CleanedTable::Prepare() {
  // WAL: readers (brewline sql, status) never block the syncing writer and vice versa.
  // synchronous=NORMAL: a power loss may undo the last commits, never half of one — an undone object is
  // simply loaded again by the next Sync, since its manifest row went with it.
  RETURN_IF_ERROR(db_->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(db_->Exec("PRAGMA synchronous=NORMAL"));
  // A larger page cache keeps the index pages of a big sync in memory between per-object transactions.
  RETURN_IF_ERROR(db_->Exec("PRAGMA cache_size=-32000"));
  RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  Status st = [&]() -> Status {
    RETURN_IF_ERROR(db_->Exec(CreateLayoutSql()));
    ASSIGN_OR_RETURN(auto get, db_->Prepare("SELECT value FROM meta WHERE name = 'schema'"));
    ASSIGN_OR_RETURN(bool row, get->Step());
    const std::string want = SchemaFingerprint();
    if (!row) {
      return db_->Exec("INSERT INTO meta (name, value) VALUES ('schema', " + SqlQuote(want) + ")");
    }
    if (get->ColumnText(0) != want) {
      return FailedPrecondition("the database was built for another schema (" + get->ColumnText(0) +
                                "); move it aside and run `brewline table sync` to rebuild it from the bucket");
    }
    return Status::OK();
  }();
  if (!st.ok()) {
    db_->Exec("ROLLBACK").IgnoreError();
    return st;
  }
  return db_->Exec("COMMIT");
}

Result<SyncStats> CleanedTable::Sync(store::ObjectStore& store, const std::string& bucket) {
  std::lock_guard<std::mutex> lock(mu_);
  SyncStats stats;
  ASSIGN_OR_RETURN(auto manifest, LoadedManifest(*db_));
  ASSIGN_OR_RETURN(auto listing, ListOrEmpty(store, bucket, manifest.size()));
  ASSIGN_OR_RETURN(auto loader, ObjectLoader::Create(*db_));
  stats.objects_listed = static_cast<int64_t>(listing.size());

  for (const store::ObjectInfo& info : listing) {
    auto it = manifest.find(info.key);
    if (it != manifest.end() && SameObject(it->second, info)) {
      stats.objects_skipped++;
      manifest.erase(it);
      continue;
    }
    if (it != manifest.end()) manifest.erase(it);
    auto body = store.Get(bucket, info.key);
    if (!body.ok() && body.status().code() == StatusCode::kNotFound) {
      continue;  // deleted since the listing: the next Sync settles it
    }
    if (!body.ok()) return body.status().WithContext("get " + bucket + "/" + info.key);
    Status body_error;
    std::string text;
    if (IsGzipKey(info.key)) {
      auto plain = GzipDecompress(*body);
      if (plain.ok()) {
        text = std::move(plain).value();
      } else {
        body_error = plain.status();
      }
    } else {
      text = std::move(body).value();
    }
    RETURN_IF_ERROR(loader->Load(info, text, body_error, clock_.NowMillis(), &stats)
                        .WithContext("load " + bucket + "/" + info.key));
  }

  // What is left of the manifest was loaded but is no longer listed. Confirm with Head before removing, so a
  // listing that raced with anything can never make rows disappear by mistake.
  std::map<std::string, ManifestEntry> gone(manifest.begin(), manifest.end());
  for (const auto& [key, entry] : gone) {
    auto head = store.Head(bucket, key);
    if (head.ok()) continue;
    if (head.status().code() != StatusCode::kNotFound) return head.status().WithContext("head " + bucket + "/" + key);
    RETURN_IF_ERROR(loader->Remove(key, clock_.NowMillis(), &stats));
  }

  RETURN_IF_ERROR(db_->Exec("INSERT OR REPLACE INTO meta (name, value) VALUES ('last_sync_ms', '" +
                            std::to_string(clock_.NowMillis()) + "')"));
  if (stats.lines_rejected > 0) {
    log::Warn("table_sync_rejects", {{"bucket", bucket}, {"rejected", static_cast<long long>(stats.lines_rejected)},
                                     {"first", stats.first_reject}});
  }
  log::Debug("table_sync", {{"bucket", bucket},
                            {"loaded", static_cast<long long>(stats.objects_loaded)},
                            {"rows", static_cast<long long>(stats.rows_loaded)},
                            {"removed", static_cast<long long>(stats.objects_removed)}});
  return stats;
}

Result<TableCounts> CleanedTable::Counts() {
  std::lock_guard<std::mutex> lock(mu_);
  TableCounts c;
  ASSIGN_OR_RETURN(c.rows, db_->QueryInt("SELECT COUNT(*) FROM cleaned"));
  ASSIGN_OR_RETURN(c.beers, db_->QueryInt("SELECT COUNT(DISTINCT id) FROM cleaned"));
  ASSIGN_OR_RETURN(c.objects_loaded, db_->QueryInt("SELECT COUNT(*) FROM objects WHERE status = 'loaded'"));
  ASSIGN_OR_RETURN(c.objects_deleted, db_->QueryInt("SELECT COUNT(*) FROM objects WHERE status = 'deleted'"));
  ASSIGN_OR_RETURN(c.rejects, db_->QueryInt("SELECT COUNT(*) FROM rejects"));
  ASSIGN_OR_RETURN(c.quality_issues, db_->QueryInt("SELECT COUNT(*) FROM quality_issues"));
  ASSIGN_OR_RETURN(c.last_sync_ms,
                   db_->QueryInt("SELECT CAST(value AS INTEGER) FROM meta WHERE name = 'last_sync_ms'"));
  return c;
}

Result<TableLag> CleanedTable::Lag(store::ObjectStore& store, const std::string& bucket) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto manifest, LoadedManifest(*db_));
  ASSIGN_OR_RETURN(auto listing, ListOrEmpty(store, bucket, manifest.size()));
  TableLag lag;
  lag.objects_in_bucket = static_cast<int64_t>(listing.size());
  for (const auto& info : listing) {
    auto it = manifest.find(info.key);
    if (it == manifest.end() || !SameObject(it->second, info)) {
      lag.objects_pending++;
      lag.bytes_pending += static_cast<int64_t>(info.size);
    }
    if (it != manifest.end()) manifest.erase(it);
  }
  lag.objects_deleted_pending = static_cast<int64_t>(manifest.size());
  return lag;
}

}  // namespace brewline::table
