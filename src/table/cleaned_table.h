// CleanedTable: the SQLite table `cleaned` at <data-dir>/table/brewline.db, kept in step with the `cleaned`
// bucket by Sync(). See table/table_schema.h for the layout and docs/table.md for the policies.
//
// Sync contract:
//  - Lists the bucket (every page, in key order), skipping the delivery's error output (processing-failed/).
//  - Each object not yet loaded is read, parsed and inserted in ONE transaction together with its manifest
//    row in `objects`, so a crash or a concurrent sync can never load an object twice or half; a second Sync
//    with nothing new adds nothing. Objects are immutable and appear atomically in the store, so an object
//    being written by a delivery right now is either listed whole or picked up by the next Sync.
//  - Malformed records are never loaded: they go to `rejects` (key, line, error, raw) and are counted in
//    SyncStats (with the first one as "key:line: error").
//  - An object whose size/etag changed (an overwrite) is replaced: old rows out, new rows in, one transaction.
//  - Deleted objects (loaded, no longer listed): their rows and rejects are removed and the manifest row is
//    kept with status 'deleted' and the time it was noticed, so the table always equals the bucket.
//  - Objects are processed in key order; a failure stops the Sync with the error, keeping what committed.
//
// Thread-safety: all methods are serialised by an internal mutex; several processes may sync the same
// database (SQLite's write lock plus an in-transaction re-check keep loading exactly-once).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"
#include "store/object_store.h"

namespace brewline::table {

class Db;

struct SyncStats {
  int64_t objects_listed = 0;    // data objects in the bucket (error output excluded)
  int64_t objects_loaded = 0;    // newly loaded by this Sync
  int64_t objects_replaced = 0;  // reloaded because they changed
  int64_t objects_removed = 0;   // gone from the bucket; their rows removed
  int64_t objects_skipped = 0;   // already loaded (or loaded meanwhile by another syncer)
  int64_t rows_loaded = 0;
  int64_t rows_removed = 0;
  int64_t lines_rejected = 0;
  std::string first_reject;      // "key:line: error" of the first rejected record, "" if none
};

struct TableCounts {
  int64_t rows = 0;            // rows in `cleaned`
  int64_t beers = 0;           // distinct ids (rows of the view `beers`)
  int64_t objects_loaded = 0;  // manifest rows with status 'loaded'
  int64_t objects_deleted = 0;
  int64_t rejects = 0;
  int64_t quality_issues = 0;
  int64_t last_sync_ms = 0;    // 0 = never synced
};

struct TableLag {
  int64_t objects_in_bucket = 0;
  int64_t objects_pending = 0;  // listed but not loaded (new or changed)
  int64_t bytes_pending = 0;
  int64_t objects_deleted_pending = 0;  // loaded but no longer in the bucket
};

class CleanedTable {
 public:
  // Opens (creating <data_dir>/table/ and the database on first use) and checks that the database was built
  // for the current schema (FailedPrecondition otherwise). `fs` creates the directory; `clock` stamps the
  // manifest. Both must outlive the table.
  static Result<std::unique_ptr<CleanedTable>> Open(FileSystem& fs, Clock& clock, const std::string& data_dir);
  static std::string DbPath(const std::string& data_dir);
  ~CleanedTable();
  CleanedTable(const CleanedTable&) = delete;
  CleanedTable& operator=(const CleanedTable&) = delete;

  Result<SyncStats> Sync(store::ObjectStore& store, const std::string& bucket = "cleaned");
  Result<TableCounts> Counts();
  // Compares the bucket's listing with the manifest without loading anything.
  Result<TableLag> Lag(store::ObjectStore& store, const std::string& bucket = "cleaned");

 private:
  CleanedTable(Clock& clock, std::unique_ptr<Db> db, std::string path);
  Status Prepare();

  Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<Db> db_;
  std::string path_;
};

}  // namespace brewline::table
