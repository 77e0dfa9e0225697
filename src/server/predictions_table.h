// PredictionsTable: the SQLite table `predictions` (in the table subsystem's database, <data-dir>/table/
// brewline.db, so `brewline sql` sees it beside `cleaned`), kept in step with bucket `predictions`.
//
// Sync loads each data object not loaded yet (error output excluded) in ONE transaction with its row in the
// manifest `prediction_objects`, so an object is loaded exactly once even across crashes and concurrent
// syncers; rows are keyed by (shard_id, sequence_number), the stream record they score, so even a rewritten
// object cannot duplicate a beer record. Lines that do not parse are skipped and counted.
// Thread-safety: methods are serialised by an internal mutex; other processes may sync concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"
#include "server/prediction_record.h"
#include "store/object_store.h"

namespace brewline::table {
class Db;
}

namespace brewline::server {

struct PredictionsSync {
  int64_t objects_loaded = 0;
  int64_t rows_loaded = 0;
  int64_t lines_skipped = 0;
};

// A scored beer with a known truth, for live quality.
struct QualitySample {
  int model_version = 0;
  int predicted = 0;
  int actual = 0;
  int64_t arrival_ms = 0;
};

class PredictionsTable {
 public:
  // Creates <data_dir>/table/ and the tables when missing. `fs` and `clock` must outlive the table.
  static Result<std::unique_ptr<PredictionsTable>> Open(FileSystem& fs, Clock& clock, const std::string& data_dir);
  ~PredictionsTable();
  PredictionsTable(const PredictionsTable&) = delete;
  PredictionsTable& operator=(const PredictionsTable&) = delete;

  Result<PredictionsSync> Sync(store::ObjectStore& store);
  Result<int64_t> RowCount();
  // The newest `n` rows, newest first (by arrival time, then sequence number).
  Result<std::vector<PredictionRecord>> Latest(int n);
  // Every row with both a predicted and an actual band, oldest first.
  Result<std::vector<QualitySample>> QualitySamples();

 private:
  PredictionsTable(Clock& clock, std::unique_ptr<table::Db> db);
  Status LoadObject(store::ObjectStore& store, const store::ObjectInfo& object, PredictionsSync* stats);

  Clock& clock_;
  std::mutex mu_;
  std::unique_ptr<table::Db> db_;
};

}  // namespace brewline::server
