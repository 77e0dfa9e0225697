#include "ml/dataset.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstring>
#include <numeric>
#include <algorithm>

#include "beer/csv.h"
#include "beer/schema.h"

namespace brewline::ml {

Result<Dataset> BuildDataset(const std::vector<beer::CleanedBeer>& beers, const Bands& bands,
                             const CleaningOptions& cleaning) {
  if (beers.empty()) return InvalidArgument("no training data: the table is empty");
  Dataset data;
  float row[kNumFeatures];
  // Rows in id order (stable for repeated ids), whatever order they arrive in, so that folds, models and
  // metrics depend on the data and the seed only: the table is read ORDER BY id, a CSV in its own order.
  std::vector<size_t> order(beers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return beers[a].id < beers[b].id; });
  for (size_t i : order) {
    beer::CleanedBeer b = beers[i];
    CleanBeer(b, cleaning, &data.cleaning);
    if (!b.ibu || !std::isfinite(*b.ibu)) {
      data.rows_without_ibu++;
      continue;
    }
    ComputeFeatures(b, row);
    data.ids.push_back(b.id);
    data.names.push_back(b.name);
    data.features.insert(data.features.end(), row, row + kNumFeatures);
    data.ibu.push_back(*b.ibu);
    data.band.push_back(bands.BandOf(*b.ibu));
  }
  if (data.rows() == 0) {
    return InvalidArgument("no training data: none of the " + std::to_string(beers.size()) +
                           " rows has an IBU");
  }
  // Only the measured columns count: the name-derived style features alone cannot carry a model.
  bool any_present = false;
  for (int i = 0; i < data.rows() && !any_present; ++i) {
    for (int j = 0; j < kNumMeasuredFeatures; ++j) any_present = any_present || !std::isnan(data.row(i)[j]);
  }
  if (!any_present) {
    return InvalidArgument("no training data: every feature (abv, target_fg, target_og, ebc, srm, ph) is "
                           "missing in all " + std::to_string(data.rows()) + " rows with an IBU");
  }
  return data;
}

std::vector<int> BandCounts(const Dataset& data, int num_bands) {
  std::vector<int> counts(num_bands, 0);
  for (int b : data.band) counts[b]++;
  return counts;
}

std::string DataFingerprint(const Dataset& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (int i = 0; i < data.rows(); ++i) {
    EVP_DigestUpdate(ctx, &data.ids[i], sizeof(int64_t));
    EVP_DigestUpdate(ctx, data.row(i), sizeof(float) * kNumFeatures);
    EVP_DigestUpdate(ctx, &data.ibu[i], sizeof(double));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return "sha256:" + out;
}

Result<std::vector<beer::CleanedBeer>> ReadCleanedCsv(std::string_view text) {
  beer::CsvReader reader(text);
  std::vector<std::string> fields;
  ASSIGN_OR_RETURN(bool has_header, reader.Next(&fields));
  if (!has_header) return InvalidArgument("CSV is empty: expected a header row id,name,abv,ibu,…");
  std::string expected;
  for (const auto& col : beer::kCleanedColumns) expected += (expected.empty() ? "" : ",") + std::string(col.name);
  bool header_ok = fields.size() == beer::kCleanedColumns.size();
  for (size_t i = 0; header_ok && i < fields.size(); ++i) header_ok = fields[i] == beer::kCleanedColumns[i].name;
  if (!header_ok) return InvalidArgument("CSV line 1: header must be " + expected);
  std::vector<beer::CleanedBeer> beers;
  while (true) {
    const size_t line = reader.line();
    ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    auto parsed = beer::CleanedBeerFromCsvFields(fields);
    if (!parsed.ok()) return parsed.status().WithContext("CSV line " + std::to_string(line));
    beers.push_back(std::move(parsed).value());
  }
  return beers;
}

}  // namespace brewline::ml
