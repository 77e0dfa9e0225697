// Splitting a JSON array into the exact text of its elements, so beers can be stored and served byte-for-byte
// as they were received (the Punk API server's dataset, the client's one-element responses, backfill pages).
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::beer {

struct JsonElementSpan {
  std::string_view text;  // the element exactly as written (no surrounding whitespace); points into the input
  size_t offset = 0;      // byte offset of text in the input
};

// Validates that `json` is one well-formed JSON array (strict RFC 8259, nothing after it but whitespace) and
// returns the spans of its elements, in order. The spans point into `json`, which must outlive them.
// Errors are InvalidArgument: "malformed JSON at line L, column C (byte B): <why>", or
// "expected a JSON array, got object".
Result<std::vector<JsonElementSpan>> SplitJsonArray(std::string_view json);

// Line and column (both 1-based, column counted in bytes) of a byte offset, for error messages.
struct TextPosition {
  size_t line = 1;
  size_t column = 1;
};
TextPosition PositionOf(std::string_view text, size_t offset);

}  // namespace brewline::beer
