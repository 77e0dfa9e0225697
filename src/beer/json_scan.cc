// Why not On-Demand: a full On-Demand walk (needed to reject what the DOM rejects) costs more per token than
// the DOM's own stage 2; this check touches each token once with no tape, no copies and no number conversion,
// and stage 1 is simdjson's.
#include "beer/json_scan.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <system_error>

namespace brewline::beer {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Escapes from the first backslash on: the simple ones, and \uXXXX outside D800-DFFF (surrogates are valid
// only in pairs; they are left to the DOM).
bool EscapesValid(const char* p, const char* end) {
  while ((p = static_cast<const char*>(std::memchr(p, '\\', size_t(end - p)))) != nullptr) {
    if (end - p < 2) return false;
    switch (p[1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        p += 2;
        break;
      case 'u':
        if (end - p < 6 || !IsHex(p[2]) || !IsHex(p[3]) || !IsHex(p[4]) || !IsHex(p[5])) return false;
        if ((p[2] == 'd' || p[2] == 'D') && !(p[3] >= '0' && p[3] <= '7')) return false;
        p += 6;
        break;
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

JsonScan::JsonScan() = default;
JsonScan::~JsonScan() = default;

// Stage 1 has proven every string closed and free of raw control characters, and that only whitespace
// follows a closing quote before the next token: so a string token is well formed but for its escapes, which
// are checked only when the document holds a backslash at all (most do not).
bool JsonScan::CheckString(uint32_t i) {
  const size_t start = index_[i], end = TokenEnd(i);
  if (end < start + 2 || json_[end - 1] != '"') return false;
  const char* body = json_ + start + 1;
  const char* body_end = json_ + end - 1;
  const bool has_escape = std::memchr(body, '\\', size_t(body_end - body)) != nullptr;
  aux_[i] = has_escape;
  return !has_escape || EscapesValid(body, body_end);
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,2})? — integers of at most 18 digits (always an int64 for
// the DOM) and at most 40 characters (always finite).
bool JsonScan::CheckNumber(uint32_t i) const {
  std::string_view t = text(i);
  if (t.size() > 40) return false;
  size_t p = 0;
  if (p < t.size() && t[p] == '-') ++p;
  const size_t int_start = p;
  if (p < t.size() && t[p] == '0') {
    ++p;
  } else {
    while (p < t.size() && IsDigit(t[p])) ++p;
  }
  const size_t int_digits = p - int_start;
  if (int_digits == 0) return false;
  if (p == t.size()) return int_digits <= 18;
  if (t[p] == '.') {
    const size_t frac_start = ++p;
    while (p < t.size() && IsDigit(t[p])) ++p;
    if (p == frac_start) return false;
  }
  if (p < t.size() && (t[p] == 'e' || t[p] == 'E')) {
    ++p;
    if (p < t.size() && (t[p] == '+' || t[p] == '-')) ++p;
    const size_t exp_start = p;
    while (p < t.size() && IsDigit(t[p])) ++p;
    if (p == exp_start || p - exp_start > 2) return false;
  }
  return p == t.size();
}

bool JsonScan::CheckAtom(uint32_t i) const {
  std::string_view t = text(i);
  return t == "true" || t == "false" || t == "null";
}

bool JsonScan::Index(const char* json, size_t size) {
  json_ = json;
  size_ = size;
  count_ = 0;
  if (size == 0) return false;
  if (size > capacity_ || !stage1_) {
    const size_t capacity = std::max(size, capacity_ * 2);
    if (simdjson::get_active_implementation()->create_dom_parser_implementation(capacity, kMaxDepth, stage1_) !=
        simdjson::SUCCESS) {
      stage1_.reset();
      capacity_ = 0;
      return false;
    }
    capacity_ = capacity;
  }
  if (stage1_->stage1(reinterpret_cast<const uint8_t*>(json), size, simdjson::stage1_mode::regular) !=
      simdjson::SUCCESS) {
    return false;
  }
  index_ = stage1_->structural_indexes.get();
  count_ = stage1_->n_structural_indexes;
  if (count_ == 0 || (json[index_[0]] != '{' && json[index_[0]] != '[')) return false;
  if (aux_.size() < count_) aux_.resize(std::max<size_t>(count_, aux_.size() * 2));
  any_escape_ = std::memchr(json, '\\', size) != nullptr;

  enum State { kValue, kFirstValue, kFirstKey, kKey, kColon, kAfter };
  uint32_t stack[kMaxDepth];
  int depth = 0;
  State state = kValue;
  for (uint32_t i = 0; i < count_; ++i) {
    const char c = json[index_[i]];
    switch (state) {
      case kFirstValue:
        if (c == ']') goto close;
        [[fallthrough]];
      case kValue:
        switch (c) {
          case '{':
          case '[':
            if (depth == kMaxDepth) return false;
            stack[depth++] = i;
            state = c == '{' ? kFirstKey : kFirstValue;
            continue;
          case '"':
            if (any_escape_ && !CheckString(i)) return false;
            break;
          case 't':
          case 'f':
          case 'n':
            if (!CheckAtom(i)) return false;
            break;
          default:
            if (!(c == '-' || IsDigit(c)) || !CheckNumber(i)) return false;
            break;
        }
        state = kAfter;
        continue;
      case kFirstKey:
        if (c == '}') goto close;
        [[fallthrough]];
      case kKey:
        if (c != '"' || (any_escape_ && !CheckString(i))) return false;
        state = kColon;
        continue;
      case kColon:
        if (c != ':') return false;
        state = kValue;
        continue;
      case kAfter: {
        if (depth == 0) return false;  // something after the root value
        const char open = json[index_[stack[depth - 1]]];
        if (c == ',') {
          state = open == '{' ? kKey : kValue;
          continue;
        }
        if (c != (open == '{' ? '}' : ']')) return false;
        goto close;
      }
    }
  close:
    aux_[stack[--depth]] = i;
    state = kAfter;
  }
  return depth == 0 && state == kAfter;
}

bool ParseJsonInt(std::string_view text, int64_t* out) {
  if (text.find_first_of(".eE") != std::string_view::npos) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ParseJsonNumber(std::string_view text, double* out) {
  int64_t i = 0;
  if (ParseJsonInt(text, &i)) {
    *out = double(i);  // as the DOM: an integer token is an int64, then converted
    return true;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace brewline::beer
