// Structured logging: one line per event, `time level event key=value …` (text) or a JSON object per line.
// Thread-safe. Payloads (record data, secrets) are never logged at info level or above.
#pragma once

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

namespace brewline::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };
enum class Format { kText, kJson };

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(v), quoted(true) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v), quoted(true) {}
  Field(std::string_view k, const char* v) : key(k), value(v), quoted(true) {}
  Field(std::string_view k, bool v) : key(k), value(v ? "true" : "false"), quoted(false) {}
  Field(std::string_view k, int v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, long v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, long long v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, unsigned v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, unsigned long v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, unsigned long long v) : key(k), value(std::to_string(v)), quoted(false) {}
  Field(std::string_view k, double v);
  std::string key;
  std::string value;
  bool quoted;  // a string (JSON-quoted) rather than a number/bool
};

// Sets where and how lines are written. Default: Info, text, stderr.
void Configure(Level min_level, Format format, std::FILE* out = stderr);

bool Enabled(Level level);
void Write(Level level, std::string_view event, std::initializer_list<Field> fields);
// Parses "debug|info|warn|error" and "text|json"; false if unknown.
bool ParseLevel(std::string_view text, Level* out);
bool ParseFormat(std::string_view text, Format* out);

inline void Debug(std::string_view event, std::initializer_list<Field> f = {}) { Write(Level::kDebug, event, f); }
inline void Info(std::string_view event, std::initializer_list<Field> f = {}) { Write(Level::kInfo, event, f); }
inline void Warn(std::string_view event, std::initializer_list<Field> f = {}) { Write(Level::kWarn, event, f); }
inline void Error(std::string_view event, std::initializer_list<Field> f = {}) { Write(Level::kError, event, f); }

}  // namespace brewline::log
