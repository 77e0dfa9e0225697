// The punkapi-db dataset held in memory for the v2 server: every beer's original JSON text (served
// byte-for-byte), its cleaned projection, and the lower-cased text the query filters match against.
// Immutable after Load; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "beer/beer.h"
#include "common/file_system.h"
#include "common/result.h"

namespace brewline::punkapi {

struct DatasetBeer {
  beer::CleanedBeer cleaned;
  std::string json;  // the beer's JSON object exactly as written in the dataset
  // Filter keys, ASCII-lower-cased (see docs/punkapi.md for the matching rules).
  std::string name_lower;
  std::string yeast_lower;
  std::vector<std::string> hops_lower, malt_lower, food_lower;
  // first_brewed as months since year 0 (year*12 + month-1); "yyyy" alone counts as January; -1 if absent.
  int brewed_months = -1;
};

class Dataset {
 public:
  // Reads and validates a punkapi-db data.json: a JSON array of beers, each parsing as beer::BeerParser
  // requires, ids unique. Errors name the file and the position, e.g.
  // "data.json: beer #12 (line 1, column 3456): field 'abv': expected a number or null, got string \"x\"".
  static Result<Dataset> Load(FileSystem& fs, const std::string& path);
  // The same from text; `source` names it in errors.
  static Result<Dataset> Parse(std::string_view json, std::string_view source);

  // Sorted by id.
  const std::vector<DatasetBeer>& beers() const { return beers_; }
  size_t size() const { return beers_.size(); }
  // nullptr when no beer has this id.
  const DatasetBeer* Find(int64_t id) const;

 private:
  std::vector<DatasetBeer> beers_;
};

// Where `brewline punkapi serve` finds data.json by default: `.cache/npm/node_modules/punkapi-db/data.json`
// under the first ancestor of the running executable (/proc/self/exe), then of the working directory, that has
// it. NotFound (naming what was searched and how to install it) otherwise.
Result<std::string> FindDefaultDatasetPath(FileSystem& fs);

// ASCII lower-casing (bytes >= 0x80 are left as they are).
std::string AsciiLower(std::string_view s);

}  // namespace brewline::punkapi
