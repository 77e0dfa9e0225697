// PunkApiSource: the BeerSource over HTTP (punkapi::Client), for `brewline run`, `ingest` and the Lambda.
// Not thread-safe (one Client); the ingest job serialises its runs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pipeline/beer_source.h"
#include "punkapi/client.h"

namespace brewline::pipeline {

class PunkApiSource final : public BeerSource {
 public:
  // `clock` must outlive the source.
  PunkApiSource(punkapi::ClientOptions options, Clock& clock);
  Result<std::string> FetchRandom() override;
  Result<std::vector<std::string>> FetchPage(int page, int per_page) override;
  std::string Describe() const override { return url_; }

 private:
  std::string url_;
  std::unique_ptr<punkapi::Client> client_;
};

}  // namespace brewline::pipeline
