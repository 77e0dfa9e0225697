// Minimal JSON string escaping for hand-written JSON on hot paths and in logs.
#pragma once

#include <string>
#include <string_view>

namespace brewline {

// Appends `s` as a quoted JSON string ("…", with \" \\ \n \r \t and \u00XX for other control bytes).
// Bytes ≥ 0x80 are copied as they are (the input is expected to be UTF-8).
void AppendJsonString(std::string* out, std::string_view s);
std::string JsonQuote(std::string_view s);

// Appends the shortest text that reads back as the same double (std::to_chars without a precision); "null" for
// NaN and infinities, which JSON cannot spell.
void AppendJsonNumber(std::string* out, double v);
// The same for a float: its own shortest text (0.1f → "0.1"), not the widened double's 17 digits.
void AppendJsonFloat(std::string* out, float v);

}  // namespace brewline
