// A conservative JSON validator and token index for hot paths that need only a few values of a document yet
// must reject exactly what simdjson's DOM parser rejects.
//
// Index() runs simdjson's stage 1 (the runtime-dispatched SIMD structural indexer, which checks UTF-8, string
// quoting and unescaped control characters) and then checks, over the structural index, the grammar, every
// atom, every number and every string escape. It accepts a strict subset of what the DOM parser accepts:
// true means the DOM parser accepts the document too; false means "not proven" — the caller asks the DOM
// parser, which decides and words the error. What is left to the DOM: roots that are not an object or array,
// nesting deeper than kMaxDepth, integers of more than 18 digits, exponents of more than two digits, numbers
// longer than 40 characters, "\u" escapes in the surrogate range. Nothing is copied or unescaped.
//
// After a true Index, tokens are walked without further checks: token i is the structural character (or the
// first character of a scalar) at json[offset(i)]; an object's members are key, ':', value, then ',' or '}'.
// Not thread-safe; one per thread. Views point into the indexed text, which must outlive them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace simdjson::internal {
class dom_parser_implementation;
}

namespace brewline::beer {

class JsonScan {
 public:
  static constexpr int kMaxDepth = 64;

  JsonScan();
  ~JsonScan();
  JsonScan(const JsonScan&) = delete;
  JsonScan& operator=(const JsonScan&) = delete;

  // `json` must have simdjson::SIMDJSON_PADDING (64) readable bytes after `size`.
  bool Index(const char* json, size_t size);

  uint32_t count() const { return count_; }
  size_t offset(uint32_t i) const { return index_[i]; }
  // '{', '[', '"', '-' or a digit (number), 't', 'f', 'n' for values; '}', ']', ':', ',' otherwise.
  char kind(uint32_t i) const { return json_[index_[i]]; }
  // For '{' and '[': the token index of the matching '}' or ']'.
  uint32_t close(uint32_t i) const { return aux_[i]; }
  // The token after value i (skipping a whole object or array).
  uint32_t after(uint32_t i) const { return kind(i) == '{' || kind(i) == '[' ? aux_[i] + 1 : i + 1; }
  // A number or atom token's text.
  std::string_view text(uint32_t i) const { return {json_ + index_[i], TokenEnd(i) - index_[i]}; }
  // A string token's content between its quotes, as written (escapes not decoded).
  std::string_view body(uint32_t i) const { return {json_ + index_[i] + 1, TokenEnd(i) - index_[i] - 2}; }
  // True when string token i holds a backslash (its body is then not its value).
  bool escaped(uint32_t i) const { return any_escape_ && aux_[i] != 0; }

 private:
  // Where token i ends: the next token's start (or the end), less the whitespace before it.
  size_t TokenEnd(uint32_t i) const {
    size_t end = i + 1 < count_ ? index_[i + 1] : size_;
    while (end > index_[i] && (json_[end - 1] == ' ' || json_[end - 1] == '\n' || json_[end - 1] == '\r' ||
                               json_[end - 1] == '\t')) {
      --end;
    }
    return end;
  }
  bool CheckString(uint32_t i);
  bool CheckNumber(uint32_t i) const;
  bool CheckAtom(uint32_t i) const;

  std::unique_ptr<simdjson::internal::dom_parser_implementation> stage1_;
  size_t capacity_ = 0;
  const char* json_ = nullptr;
  size_t size_ = 0;
  const uint32_t* index_ = nullptr;
  uint32_t count_ = 0;
  bool any_escape_ = false;  // a backslash anywhere in the document; without one no string needs checking
  std::vector<uint32_t> aux_;  // containers: matching close; strings: 1 when escaped
};

// Number tokens Index accepted, converted as the DOM parser does: integers (no '.', 'e' or 'E') exactly,
// others correctly rounded. False when `text` is not an integer (ParseJsonInt) or not a number.
bool ParseJsonInt(std::string_view text, int64_t* out);
bool ParseJsonNumber(std::string_view text, double* out);

}  // namespace brewline::beer
