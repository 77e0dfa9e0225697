// ObjectLoader: the per-object transactions of a Sync — load (or replace) one object's records together with
// its manifest row, or remove a deleted object's rows — on a connection owned by CleanedTable.
// Every method runs one BEGIN IMMEDIATE … COMMIT and re-reads the manifest inside it, so concurrent syncers
// (threads or processes) load each object exactly once. Not thread-safe: the caller serialises.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/object_store.h"

namespace brewline::table {

class Db;
class Stmt;
struct SyncStats;

// A manifest row as the loader sees it.
struct ManifestEntry {
  std::string etag;
  uint64_t size = 0;
  bool loaded = false;  // status 'loaded' (false: 'deleted')
};

// True when the listed object is the one the manifest loaded (size, and etag where both are known).
bool SameObject(const ManifestEntry& entry, const store::ObjectInfo& info);

class ObjectLoader {
 public:
  // Prepares the statements; `db` must outlive the loader.
  static Result<std::unique_ptr<ObjectLoader>> Create(Db& db);
  ~ObjectLoader();

  Result<std::optional<ManifestEntry>> Lookup(const std::string& key);
  // Loads `body` (already decompressed, or `body_error` when it could not be decoded) as object `info`.
  Status Load(const store::ObjectInfo& info, std::string_view body, const Status& body_error, int64_t now_ms,
              SyncStats* stats);
  // Removes the rows of an object that left the bucket and marks its manifest row 'deleted'.
  Status Remove(const std::string& key, int64_t now_ms, SyncStats* stats);

 private:
  explicit ObjectLoader(Db& db) : db_(db) {}
  Status RecordReject(const std::string& key, int64_t line, std::string_view error, std::string_view raw,
                      SyncStats* stats);
  Result<int64_t> DeleteRows(const std::string& key);

  Db& db_;
  std::unique_ptr<Stmt> lookup_, insert_row_, insert_reject_, upsert_manifest_, delete_rows_, delete_rejects_,
      mark_deleted_, upsert_latest_, drop_latest_, rebuild_latest_;
};

}  // namespace brewline::table
