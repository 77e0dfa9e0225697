// Random version-4 UUIDs ("3f1c…-4…-…") for object names, invocation ids and lock owners.
#pragma once

#include <cstdint>
#include <string>

namespace brewline {

std::string NewUuid();
// A UUID-shaped string derived from a 128-bit value (for deterministic names: same input, same name).
std::string UuidFromBits(uint64_t hi, uint64_t lo);

}  // namespace brewline
