#include "pipeline/punkapi_source.h"

namespace brewline::pipeline {

PunkApiSource::PunkApiSource(punkapi::ClientOptions options, Clock& clock)
    : url_(options.url), client_(std::make_unique<punkapi::Client>(std::move(options), clock)) {}

Result<std::string> PunkApiSource::FetchRandom() {
  ASSIGN_OR_RETURN(punkapi::RandomBeer beer, client_->FetchRandom());
  return std::move(beer.json);
}

Result<std::vector<std::string>> PunkApiSource::FetchPage(int page, int per_page) {
  return client_->FetchPage(page, per_page);
}

}  // namespace brewline::pipeline
