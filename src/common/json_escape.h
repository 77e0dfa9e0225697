// Minimal JSON string escaping for hand-written JSON on hot paths and in logs.
#pragma once

#include <string>
#include <string_view>

namespace brewline {

// Appends `s` as a quoted JSON string ("…", with \" \\ \n \r \t and \u00XX for other control bytes).
// Bytes ≥ 0x80 are copied as they are (the input is expected to be UTF-8).
void AppendJsonString(std::string* out, std::string_view s);
std::string JsonQuote(std::string_view s);

}  // namespace brewline
