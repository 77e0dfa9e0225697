// Test fixtures for the table: the punkapi-db beers reduced to the cleaned schema, and objects written exactly
// as the cleaned delivery writes them (RFC 4180 via beer::AppendCsvLine, no header, "\n"-terminated, keys
// `YYYY/MM/dd/HH/cleaned-1-YYYY-MM-dd-HH-mm-ss-<uuid>[.gz]`) through the real FsObjectStore.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "beer/beer.h"
#include "store/object_store.h"

namespace brewline::table::testing {

// The 325 beers of .cache/npm/node_modules/punkapi-db/data.json (in file order), parsed with beer::BeerParser.
const std::vector<beer::CleanedBeer>& PunkBeers();
// The delivery's key for an object whose oldest record arrived at `epoch_ms`.
std::string DeliveryKey(int64_t epoch_ms, const std::string& uuid, bool gz = false);
// Concatenated CSV lines, as the delivery writes one object.
std::string CsvBody(const std::vector<beer::CleanedBeer>& beers);
// Puts `beers` as one object (gzip-compressed when the key ends in .gz). Fails the test on error.
void PutObject(store::ObjectStore& store, const std::string& key, const std::vector<beer::CleanedBeer>& beers);

}  // namespace brewline::table::testing
