// Test data for the ml suite: the punkapi-db dataset (325 beers) through the cleaned transform.
#pragma once

#include <string>
#include <vector>

#include "beer/beer.h"

namespace brewline::ml::testdata {

// The dataset's beers (aborts the test via ADD_FAILURE and returns empty on error).
std::vector<beer::CleanedBeer> PunkapiBeers();
// A cleaned-format CSV (header + rows) of the beers.
std::string CleanedCsv(const std::vector<beer::CleanedBeer>& beers);
std::string PunkapiJsonPath();

}  // namespace brewline::ml::testdata
