// Forwarding header: gzip lives in common/gzip.h (one implementation for deliveries and the table). Kept only
// for src/cli/delivery_commands.cc, which can include common/gzip.h directly; then this file goes.
#pragma once

#include "common/gzip.h"

namespace brewline::delivery {
using ::brewline::GzipCompress;
using ::brewline::GzipDecompress;
}  // namespace brewline::delivery
