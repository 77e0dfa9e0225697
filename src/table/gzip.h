// gzip for `.gz` cleaned objects (Firehose's GZIP compression). Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::table {

// True when the object key says the body is gzip-compressed (ends in ".gz").
bool IsGzipKey(std::string_view key);
// Decompresses a gzip stream, including several concatenated members (as `cat a.gz b.gz` makes).
// Corruption on a damaged or truncated stream.
Result<std::string> Gunzip(std::string_view data);
// Compresses into one gzip member (used by tests and benchmarks to write delivery-shaped `.gz` objects).
Result<std::string> Gzip(std::string_view data);

}  // namespace brewline::table
