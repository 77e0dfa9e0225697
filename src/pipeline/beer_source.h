// BeerSource: where the ingest job gets beers. A small seam so the job does not depend on how beers are
// fetched (the Punk API client over HTTP here; anything in the AWS ingest Lambda; fakes in tests).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace brewline::pipeline {

class BeerSource {
 public:
  virtual ~BeerSource() = default;
  // One random beer: its JSON object exactly as the source sent it (for /v2/beers/random, the single element
  // of the returned array, byte for byte).
  virtual Result<std::string> FetchRandom() = 0;
  // Page `page` (1-based) of the catalogue with `per_page` beers (1–80): each beer's JSON object exactly as
  // sent. An empty vector means past the end.
  virtual Result<std::vector<std::string>> FetchPage(int page, int per_page) = 0;
  // For logs and status: the URL or name of the source.
  virtual std::string Describe() const = 0;
};

}  // namespace brewline::pipeline
