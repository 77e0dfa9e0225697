// SHA-256 and HMAC-SHA256 over OpenSSL, the two primitives SigV4 needs. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

namespace brewline::aws {

// Raw 32-byte digest.
std::string Sha256(std::string_view data);
// Lower-case hex of the SHA-256 digest (64 characters).
std::string Sha256Hex(std::string_view data);
// Raw 32-byte HMAC-SHA256(key, data).
std::string HmacSha256(std::string_view key, std::string_view data);
// Lower-case hex of arbitrary bytes.
std::string HexEncode(std::string_view bytes);

}  // namespace brewline::aws
