// `.gz` cleaned objects (Firehose's GZIP compression); the codec itself is common/gzip.h.
#pragma once

#include <string>
#include <string_view>

#include "common/gzip.h"

namespace brewline::table {

// True when the object key says the body is gzip-compressed (ends in ".gz").
inline bool IsGzipKey(std::string_view key) { return key.size() >= 3 && key.substr(key.size() - 3) == ".gz"; }

}  // namespace brewline::table
