// Training data: cleaned beers → (features, band, IBU) rows, and reading cleaned-format CSV.
// Pure functions over values; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "beer/beer.h"
#include "common/result.h"
#include "ml/bands.h"
#include "ml/features.h"

namespace brewline::ml {

struct Dataset {
  std::vector<int64_t> ids;
  std::vector<std::string> names;
  std::vector<float> features;  // row-major, rows() × kNumFeatures, NaN = missing
  std::vector<double> ibu;      // after cleaning
  std::vector<int> band;
  CleaningReport cleaning;
  int rows_without_ibu = 0;  // input rows not trained on (no IBU, or IBU made unknown by cleaning)

  int rows() const { return static_cast<int>(ids.size()); }
  const float* row(int i) const { return features.data() + static_cast<size_t>(i) * kNumFeatures; }
};

// Builds the labelled rows, in id order whatever the input order. Errors (InvalidArgument, one line): no input rows ("the table is empty"), no row
// with an IBU, every feature missing in every row, or a band with no rows at all is NOT an error here (see
// evaluation for the per-band minimum).
Result<Dataset> BuildDataset(const std::vector<beer::CleanedBeer>& beers, const Bands& bands,
                             const CleaningOptions& cleaning);

// Rows per band (size bands.count()).
std::vector<int> BandCounts(const Dataset& data, int num_bands);

// A hex SHA-256 over the labelled rows (ids, features, IBU), so a model's metadata names its exact data.
std::string DataFingerprint(const Dataset& data);

// Reads a cleaned-format CSV with a header row naming the nine schema columns in schema order
// (id,name,abv,ibu,target_fg,target_og,ebc,srm,ph). Errors name the line.
Result<std::vector<beer::CleanedBeer>> ReadCleanedCsv(std::string_view text);

}  // namespace brewline::ml
