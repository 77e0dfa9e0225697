// GZIP (RFC 1952) with zlib: what Firehose writes for CompressionFormat GZIP and `gzip -d` reads.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::delivery {

Result<std::string> GzipCompress(std::string_view data, int level = 6);
// Decompresses every concatenated gzip member (as `gzip -d` does); Corruption on damaged input.
Result<std::string> GzipDecompress(std::string_view data);

}  // namespace brewline::delivery
