// Internal to the beer library: the fast path of BeerParser.
//
// Contract: returns true only when the DOM path (beer.cc) would accept `json` and give exactly *out — the
// document is checked by JsonScan, which accepts only what the DOM parser accepts. On anything else —
// malformed JSON, a wrong field type, an escaped key or name, what JsonScan leaves to the DOM — it returns
// false without saying why, and the caller asks the DOM path, the single source of every error message.
// False negatives only cost time; a false positive would be a bug.
#pragma once

#include <cstddef>

#include "beer/beer.h"
#include "beer/json_scan.h"

namespace brewline::beer::internal {

// `json` must have at least JsonScan's padding (64 bytes) readable after `size`. *out is unspecified when
// false is returned.
bool FastParseBeer(JsonScan& scan, const char* json, size_t size, CleanedBeer* out);

}  // namespace brewline::beer::internal
