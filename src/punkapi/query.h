// The query language of GET /v2/beers: validation of the parameters (with the original API's 400 error
// shape) and matching of beers against them. Pure functions, no HTTP; thread-safe.
// Deliberate differences from the original server are listed in docs/punkapi.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "punkapi/dataset.h"

namespace brewline::punkapi {

// One entry of the 400 body's "data" array.
struct ParamError {
  std::string location;  // "query" or "params"
  std::string param;
  std::string msg;
  std::string value;
};

struct BeerQuery {
  int page = 1;       // >= 1
  int per_page = 25;  // 1..80
  std::optional<double> abv_gt, abv_lt, ibu_gt, ibu_lt, ebc_gt, ebc_lt;
  std::optional<std::string> beer_name, yeast, hops, malt, food;  // lower-cased, '_' replaced by ' '
  std::optional<int> brewed_before, brewed_after;                 // months, as DatasetBeer::brewed_months
  std::optional<std::set<int64_t>> ids;

  // True when the beer passes every filter (pagination is separate).
  bool Matches(const DatasetBeer& beer) const;
};

// Query parameters as decoded by the HTTP layer (name → value; for a repeated name the first value counts).
using QueryParams = std::multimap<std::string, std::string>;

// Validates and parses; on failure returns every invalid parameter, in a fixed order. Empty values are
// ignored (as the original did) and unknown parameters are ignored.
Result<BeerQuery> ParseBeerQuery(const QueryParams& params, std::vector<ParamError>* errors);

// The beers of one page: filter, then skip (page-1)*per_page. Pointers into `dataset`.
std::vector<const DatasetBeer*> RunQuery(const Dataset& dataset, const BeerQuery& query);

// Parses a path id ("/v2/beers/{id}"): an integer >= 1 written in digits; nullopt otherwise.
std::optional<int64_t> ParseBeerId(std::string_view text);

// Bodies in the original API's (Boom's) error shape.
std::string BadRequestBody(const std::vector<ParamError>& errors);  // 400 "Invalid query params"
std::string NotFoundBody(std::string_view message);                 // 404
std::string TooManyRequestsBody();                                  // 429
std::string ErrorBody(int status, std::string_view error, std::string_view message);

}  // namespace brewline::punkapi
