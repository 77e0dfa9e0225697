// simdjson validates (fast path); on failure nlohmann::json re-parses only to locate the error, because
// simdjson's DOM errors carry no position. The element boundaries come from a small scanner that is only run
// on text simdjson has already accepted, so it need not handle malformed input.
#include "beer/json_array.h"

#include <simdjson.h>

#include <nlohmann/json.hpp>

namespace brewline::beer {

namespace {

const char* KindOf(simdjson::dom::element_type t) {
  using T = simdjson::dom::element_type;
  switch (t) {
    case T::ARRAY:
      return "array";
    case T::OBJECT:
      return "object";
    case T::STRING:
      return "string";
    case T::BOOL:
      return "boolean";
    case T::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Status LocateError(std::string_view json, simdjson::error_code err) {
  size_t byte = 0;
  std::string why = simdjson::error_message(err);
  try {
    nlohmann::json parsed = nlohmann::json::parse(json.begin(), json.end());
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    byte = e.byte > 0 ? e.byte - 1 : 0;  // nlohmann counts bytes from 1
    why = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
    if (size_t colon = why.find(": "); colon != std::string::npos) why = why.substr(colon + 2);
  } catch (const std::exception& e) {
    why = e.what();
  }
  TextPosition p = PositionOf(json, byte);
  return InvalidArgument("malformed JSON at line " + std::to_string(p.line) + ", column " + std::to_string(p.column) +
                         " (byte " + std::to_string(byte) + "): " + why);
}

}  // namespace

TextPosition PositionOf(std::string_view text, size_t offset) {
  TextPosition p;
  offset = std::min(offset, text.size());
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

Result<std::vector<JsonElementSpan>> SplitJsonArray(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root); err != simdjson::SUCCESS) {
    return LocateError(json, err);
  }
  simdjson::dom::array array;
  if (root.get(array) != simdjson::SUCCESS) {
    return InvalidArgument(std::string("expected a JSON array, got ") + KindOf(root.type()));
  }
  std::vector<JsonElementSpan> spans;
  spans.reserve(array.size());
  // Scan the validated text: top-level commas separate elements; strings may contain brackets and commas.
  size_t i = 0;
  while (IsSpace(json[i])) ++i;
  ++i;  // '['
  int depth = 0;
  bool in_string = false;
  size_t start = std::string_view::npos;
  auto close = [&](size_t end) {
    while (end > start && IsSpace(json[end - 1])) --end;
    spans.push_back({json.substr(start, end - start), start});
    start = std::string_view::npos;
  };
  for (; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (start == std::string_view::npos && !IsSpace(c) && !(depth == 0 && (c == ',' || c == ']'))) start = i;
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == '}' || (c == ']' && depth > 0)) {
      --depth;
    } else if (depth == 0 && (c == ',' || c == ']')) {
      if (start != std::string_view::npos) close(i);
      if (c == ']') break;
    }
  }
  if (spans.size() != array.size()) return Internal("SplitJsonArray: element count mismatch");
  return spans;
}

}  // namespace brewline::beer
