// Reading the training data from the table (the `beers` view of <data-dir>/table/brewline.db), and filling
// the table from a Punk API dataset for notebooks and tests. Thread-safe (each call opens its own connection).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "beer/beer.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"

namespace brewline::ml {

// All rows of the `beers` view, by id. NotFound (with a hint) when the table does not exist yet.
Result<std::vector<beer::CleanedBeer>> ReadBeersFromTable(const std::string& data_dir);

// Runs a Punk API v2 JSON array (e.g. punkapi-db's data.json) through the cleaned transform (beer parsing +
// the cleaned CSV), puts it as one object into bucket `cleaned` under the Firehose key layout, and syncs the
// table. Returns the number of beers written.
Result<int> LoadDatasetIntoTable(FileSystem& fs, Clock& clock, const std::string& data_dir,
                                 std::string_view punkapi_json);

}  // namespace brewline::ml
