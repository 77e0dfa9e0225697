// Standard base64 (RFC 4648 §4, with padding), as Kinesis and Firehose put record data on the wire.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline {

std::string Base64Encode(std::string_view data);
void Base64EncodeAppend(std::string* out, std::string_view data);
// Strict: rejects characters outside the alphabet, bad padding and lengths that are not a multiple of 4.
Result<std::string> Base64Decode(std::string_view text);

// Bytes Base64DecodeTo may write for `text_size` characters: the decoded size plus slack for vector stores.
constexpr size_t Base64DecodeBound(size_t text_size) { return text_size / 4 * 3 + 32; }
// The hot-path form of Base64Decode, with exactly its acceptance: decodes into dst, which must have room for
// Base64DecodeBound(text.size()) bytes (so a caller can keep one buffer, with any padding it needs after the
// data, for many records). Sets *size and returns true, or returns false on malformed input (dst then holds
// garbage). Uses AVX2 when the CPU has it (checked once at run time), a table decoder otherwise.
bool Base64DecodeTo(std::string_view text, char* dst, size_t* size);

// The two implementations behind Base64DecodeTo, exposed so tests can hold each to the same contract.
namespace base64_internal {
bool DecodeScalar(std::string_view text, char* dst, size_t* size);
bool HaveAvx2();
// Requires HaveAvx2().
bool DecodeAvx2(std::string_view text, char* dst, size_t* size);
}  // namespace base64_internal

}  // namespace brewline
