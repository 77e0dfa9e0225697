#include "punkapi_data.h"

#include <gtest/gtest.h>

#include "beer/json_array.h"
#include "common/file_system.h"
#include "testing/temp_dir.h"

namespace brewline::ml::testdata {

std::string PunkapiJsonPath() {
  return brewline::testing::SourceDir() + "/.cache/npm/node_modules/punkapi-db/data.json";
}

std::vector<beer::CleanedBeer> PunkapiBeers() {
  auto text = PosixFileSystem::Get().ReadFile(PunkapiJsonPath());
  if (!text.ok()) {
    ADD_FAILURE() << text.status().ToString();
    return {};
  }
  auto elements = beer::SplitJsonArray(*text);
  if (!elements.ok()) {
    ADD_FAILURE() << elements.status().ToString();
    return {};
  }
  beer::BeerParser parser;
  std::vector<beer::CleanedBeer> beers;
  for (const auto& e : *elements) {
    auto b = parser.Parse(e.text);
    if (!b.ok()) {
      ADD_FAILURE() << b.status().ToString();
      return {};
    }
    beers.push_back(*b);
  }
  return beers;
}

std::string CleanedCsv(const std::vector<beer::CleanedBeer>& beers) {
  std::string out = "id,name,abv,ibu,target_fg,target_og,ebc,srm,ph\n";
  for (const auto& b : beers) beer::AppendCsvLine(&out, b);
  return out;
}

}  // namespace brewline::ml::testdata
