// Durations as users write them: "500ms", "1s", "5m", "2h", "1d", and compounds such as "1m30s".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text);
// The shortest exact spelling: 90000ms → "1m30s", 1500ms → "1s500ms", 0 → "0s".
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace brewline
