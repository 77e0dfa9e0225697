// Standard base64 (RFC 4648 §4, with padding), as Kinesis and Firehose put record data on the wire.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline {

std::string Base64Encode(std::string_view data);
void Base64EncodeAppend(std::string* out, std::string_view data);
// Strict: rejects characters outside the alphabet, bad padding and lengths that are not a multiple of 4.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace brewline
