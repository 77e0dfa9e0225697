// Shared by the server tests: models trained on the punkapi-db dataset (once per process, cached) and the
// dataset's beers as raw Punk API JSON, as ingest puts them on the stream.
#pragma once

#include <string>
#include <vector>

#include "store/object_store.h"

namespace brewline::server::testing {

// Publishes a model into bucket `models` of `store`; `variant` changes the hyperparameters so versions differ.
// Returns the version. With evaluate=true the metadata holds a (small) CV report.
int PublishModel(store::ObjectStore& store, int variant = 0, bool evaluate = true);
// Each beer of the dataset as its own JSON object text, in dataset order.
const std::vector<std::string>& RawBeers();

}  // namespace brewline::server::testing
