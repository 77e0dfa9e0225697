#include "server/predictions_table.h"

#include <nlohmann/json.hpp>

#include "table/bucket_listing.h"
#include "table/cleaned_table.h"
#include "table/sqlite_db.h"

namespace brewline::server {
namespace {

constexpr char kSchema[] =
    "CREATE TABLE IF NOT EXISTS predictions (\n"
    "  shard_id TEXT NOT NULL,\n"
    "  sequence_number TEXT NOT NULL,\n"
    "  id INTEGER NOT NULL,\n"
    "  name TEXT NOT NULL,\n"
    "  predicted_band INTEGER,\n"
    "  predicted_range TEXT,\n"
    "  band_low REAL,\n"
    "  band_high REAL,\n"
    "  probabilities TEXT NOT NULL,\n"
    "  model_version INTEGER NOT NULL,\n"
    "  ibu REAL,\n"
    "  actual_band INTEGER,\n"
    "  actual_range TEXT,\n"
    "  arrival_ms INTEGER NOT NULL,\n"
    "  error TEXT,\n"
    "  object_key TEXT NOT NULL,\n"
    "  PRIMARY KEY (shard_id, sequence_number));\n"
    "CREATE INDEX IF NOT EXISTS predictions_by_arrival ON predictions(arrival_ms);\n"
    "CREATE TABLE IF NOT EXISTS prediction_objects (\n"
    "  object_key TEXT PRIMARY KEY, size INTEGER NOT NULL, rows INTEGER NOT NULL, loaded_ms INTEGER NOT NULL);\n";

std::string ProbabilitiesJson(const std::vector<double>& p) { return nlohmann::json(p).dump(); }

}  // namespace

PredictionsTable::PredictionsTable(Clock& clock, std::unique_ptr<table::Db> db) : clock_(clock), db_(std::move(db)) {}
PredictionsTable::~PredictionsTable() = default;

Result<std::unique_ptr<PredictionsTable>> PredictionsTable::Open(FileSystem& fs, Clock& clock,
                                                                 const std::string& data_dir) {
  const std::string path = table::CleanedTable::DbPath(data_dir);
  RETURN_IF_ERROR(fs.CreateDirs(DirName(path)));
  ASSIGN_OR_RETURN(auto db, table::Db::Open(path, table::Db::Mode::kReadWriteCreate));
  RETURN_IF_ERROR(db->Exec(kSchema).WithContext("create table predictions"));
  return std::unique_ptr<PredictionsTable>(new PredictionsTable(clock, std::move(db)));
}

Result<PredictionsSync> PredictionsTable::Sync(store::ObjectStore& store) {
  std::lock_guard<std::mutex> lock(mu_);
  PredictionsSync stats;
  auto objects = table::ListDataObjects(store, kPredictionsBucket);
  if (!objects.ok()) {
    // No bucket yet: nothing delivered so far.
    if (objects.status().code() == StatusCode::kNotFound) return stats;
    return objects.status();
  }
  ASSIGN_OR_RETURN(auto loaded_q, db_->Prepare("SELECT 1 FROM prediction_objects WHERE object_key = ?"));
  for (const store::ObjectInfo& o : *objects) {
    loaded_q->Reset();
    loaded_q->BindText(1, o.key);
    ASSIGN_OR_RETURN(bool loaded, loaded_q->Step());
    if (loaded) continue;
    RETURN_IF_ERROR(LoadObject(store, o, &stats));
  }
  return stats;
}

Status PredictionsTable::LoadObject(store::ObjectStore& store, const store::ObjectInfo& object,
                                    PredictionsSync* stats) {
  ASSIGN_OR_RETURN(std::string data, store.Get(kPredictionsBucket, object.key));
  RETURN_IF_ERROR(db_->Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> Status {
    // Re-check inside the write lock: another syncer may have loaded it meanwhile.
    ASSIGN_OR_RETURN(int64_t already, db_->QueryInt("SELECT COUNT(*) FROM prediction_objects WHERE object_key = " +
                                                    table::SqlQuote(object.key)));
    if (already > 0) return Status::OK();
    ASSIGN_OR_RETURN(auto insert, db_->Prepare(
        "INSERT OR REPLACE INTO predictions (shard_id, sequence_number, id, name, predicted_band, predicted_range, "
        "band_low, band_high, probabilities, model_version, ibu, actual_band, actual_range, arrival_ms, error, "
        "object_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    int64_t rows = 0;
    size_t start = 0;
    while (start < data.size()) {
      size_t nl = data.find('\n', start);
      if (nl == std::string::npos) nl = data.size();
      std::string_view line(data.data() + start, nl - start);
      start = nl + 1;
      if (line.empty()) continue;
      auto r = ParsePredictionLine(line);
      if (!r.ok()) {
        stats->lines_skipped++;
        continue;
      }
      insert->Reset();
      insert->BindText(1, r->shard_id);
      insert->BindText(2, r->sequence_number);
      insert->BindInt(3, r->id);
      insert->BindText(4, r->name);
      if (r->predicted_band) insert->BindInt(5, *r->predicted_band);
      else insert->BindNull(5);
      if (r->predicted_band) insert->BindText(6, r->predicted_range);
      else insert->BindNull(6);
      insert->BindOptionalDouble(7, r->band_low);
      insert->BindOptionalDouble(8, r->band_high);
      insert->BindText(9, ProbabilitiesJson(r->probabilities));
      insert->BindInt(10, r->model_version);
      insert->BindOptionalDouble(11, r->ibu);
      if (r->actual_band) insert->BindInt(12, *r->actual_band);
      else insert->BindNull(12);
      if (r->actual_band) insert->BindText(13, r->actual_range);
      else insert->BindNull(13);
      insert->BindInt(14, r->arrival_ms);
      if (r->error.empty()) insert->BindNull(15);
      else insert->BindText(15, r->error);
      insert->BindText(16, object.key);
      RETURN_IF_ERROR(insert->Run());
      rows++;
    }
    ASSIGN_OR_RETURN(auto manifest, db_->Prepare(
        "INSERT INTO prediction_objects (object_key, size, rows, loaded_ms) VALUES (?,?,?,?)"));
    manifest->BindText(1, object.key);
    manifest->BindInt(2, static_cast<int64_t>(object.size));
    manifest->BindInt(3, rows);
    manifest->BindInt(4, clock_.NowMillis());
    RETURN_IF_ERROR(manifest->Run());
    stats->objects_loaded++;
    stats->rows_loaded += rows;
    return Status::OK();
  }();
  if (!body.ok()) {
    db_->Exec("ROLLBACK").IgnoreError();
    return body.WithContext("load predictions object " + object.key);
  }
  return db_->Exec("COMMIT");
}

Result<int64_t> PredictionsTable::RowCount() {
  std::lock_guard<std::mutex> lock(mu_);
  return db_->QueryInt("SELECT COUNT(*) FROM predictions");
}

Result<std::vector<PredictionRecord>> PredictionsTable::Latest(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto q, db_->Prepare(
      "SELECT id, name, predicted_band, predicted_range, band_low, band_high, probabilities, model_version, ibu, "
      "actual_band, actual_range, arrival_ms, shard_id, sequence_number, error FROM predictions "
      "ORDER BY arrival_ms DESC, length(sequence_number) DESC, sequence_number DESC LIMIT ?"));
  q->BindInt(1, n);
  std::vector<PredictionRecord> out;
  constexpr int kNull = 5;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    PredictionRecord r;
    r.id = q->ColumnInt(0);
    r.name = q->ColumnText(1);
    if (q->ColumnType(2) != kNull) r.predicted_band = static_cast<int>(q->ColumnInt(2));
    r.predicted_range = q->ColumnType(3) == kNull ? "" : q->ColumnText(3);
    if (q->ColumnType(4) != kNull) r.band_low = q->ColumnDouble(4);
    if (q->ColumnType(5) != kNull) r.band_high = q->ColumnDouble(5);
    nlohmann::json p = nlohmann::json::parse(q->ColumnText(6), nullptr, false);
    if (p.is_array()) {
      for (const auto& v : p) r.probabilities.push_back(v.is_number() ? v.get<double>() : 0.0);
    }
    r.model_version = static_cast<int>(q->ColumnInt(7));
    if (q->ColumnType(8) != kNull) r.ibu = q->ColumnDouble(8);
    if (q->ColumnType(9) != kNull) r.actual_band = static_cast<int>(q->ColumnInt(9));
    r.actual_range = q->ColumnType(10) == kNull ? "" : q->ColumnText(10);
    r.arrival_ms = q->ColumnInt(11);
    r.shard_id = q->ColumnText(12);
    r.sequence_number = q->ColumnText(13);
    r.error = q->ColumnType(14) == kNull ? "" : q->ColumnText(14);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<QualitySample>> PredictionsTable::QualitySamples() {
  std::lock_guard<std::mutex> lock(mu_);
  ASSIGN_OR_RETURN(auto q, db_->Prepare(
      "SELECT model_version, predicted_band, actual_band, arrival_ms FROM predictions "
      "WHERE predicted_band IS NOT NULL AND actual_band IS NOT NULL "
      "ORDER BY arrival_ms, length(sequence_number), sequence_number"));
  std::vector<QualitySample> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back({static_cast<int>(q->ColumnInt(0)), static_cast<int>(q->ColumnInt(1)),
                   static_cast<int>(q->ColumnInt(2)), q->ColumnInt(3)});
  }
  return out;
}

}  // namespace brewline::server
