#include "ml/table_source.h"

#include <cstdio>

#include "beer/csv.h"
#include "beer/json_array.h"
#include "common/time_util.h"
#include "store/fs_object_store.h"
#include "table/cleaned_table.h"
#include "table/sql_query.h"

namespace brewline::ml {
namespace {

std::optional<double> Opt(const table::SqlValue& v) {
  switch (v.type) {
    case table::SqlValue::Type::kInteger: return static_cast<double>(v.i);
    case table::SqlValue::Type::kReal: return v.d;
    default: return std::nullopt;
  }
}

}  // namespace

Result<std::vector<beer::CleanedBeer>> ReadBeersFromTable(const std::string& data_dir) {
  const std::string path = table::CleanedTable::DbPath(data_dir);
  auto result = table::RunReadOnlyQuery(
      path, "SELECT id, name, abv, ibu, target_fg, target_og, ebc, srm, ph FROM beers ORDER BY id");
  if (!result.ok()) {
    if (result.status().code() == StatusCode::kNotFound) {
      return NotFound("no table at " + path + " (run the pipeline or `brewline table sync` first, or pass --from-csv)");
    }
    return result.status().WithContext("reading the beers view");
  }
  std::vector<beer::CleanedBeer> beers;
  for (const auto& row : result->rows) {
    if (row.size() != 9) return Internal("beers view returned " + std::to_string(row.size()) + " columns");
    beer::CleanedBeer b;
    b.id = row[0].i;
    b.name = row[1].text;
    b.abv = Opt(row[2]);
    b.ibu = Opt(row[3]);
    b.target_fg = Opt(row[4]);
    b.target_og = Opt(row[5]);
    b.ebc = Opt(row[6]);
    b.srm = Opt(row[7]);
    b.ph = Opt(row[8]);
    beers.push_back(std::move(b));
  }
  return beers;
}

Result<int> LoadDatasetIntoTable(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                 std::string_view punkapi_json) {
  ASSIGN_OR_RETURN(auto elements, beer::SplitJsonArray(punkapi_json));
  beer::BeerParser parser;
  std::string csv;
  int n = 0;
  for (const auto& e : elements) {
    auto b = parser.Parse(e.text);
    if (!b.ok()) return b.status().WithContext("dataset element " + std::to_string(n + 1));
    beer::AppendCsvLine(&csv, *b);
    ++n;
  }
  const int64_t now = clock.NowMillis();
  const UtcTime t = ToUtc(now);
  char key[160];
  std::snprintf(key, sizeof key, "%04d/%02d/%02d/%02d/cleaned-1-%04d-%02d-%02d-%02d-%02d-%02d-dataset-import",
                t.year, t.month, t.day, t.hour, t.year, t.month, t.day, t.hour, t.minute, t.second);
  store::FsObjectStore store(fs, store::BucketsDir(data_dir));
  RETURN_IF_ERROR(store.Put("cleaned", key, csv));
  ASSIGN_OR_RETURN(auto tbl, table::CleanedTable::Open(fs, clock, data_dir));
  ASSIGN_OR_RETURN(auto stats, tbl->Sync(store));
  (void)stats;
  return n;
}

}  // namespace brewline::ml
