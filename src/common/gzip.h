// GZIP (RFC 1952) with zlib: what Firehose writes for CompressionFormat GZIP, what `gzip -d` reads, and what
// the `cleaned` table loads from `.gz` objects. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline {

// One gzip member; `level` as zlib's (1 fastest … 9 smallest, 6 the default).
Result<std::string> GzipCompress(std::string_view data, int level = 6);
// Every concatenated member (as `cat a.gz b.gz` makes and `gzip -d` reads). Corruption on a damaged,
// truncated or empty stream, or on anything that is not gzip.
Result<std::string> GzipDecompress(std::string_view data);

}  // namespace brewline
