#include "common/log.h"

#include <atomic>
#include <cmath>
#include <mutex>

#include "common/clock.h"
#include "common/json_escape.h"
#include "common/time_util.h"

namespace brewline::log {
namespace {

struct Config {
  std::mutex mu;
  std::atomic<int> min_level{static_cast<int>(Level::kInfo)};
  Format format = Format::kText;
  std::FILE* out = stderr;
};

Config& GetConfig() {
  static Config config;
  return config;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  }
  return false;
}

}  // namespace

Field::Field(std::string_view k, double v) : key(k), quoted(false) {
  if (!std::isfinite(v)) {
    value = "null";
    return;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  value = buf;
}

void Configure(Level min_level, Format format, std::FILE* out) {
  Config& c = GetConfig();
  std::lock_guard<std::mutex> lock(c.mu);
  c.min_level = static_cast<int>(min_level);
  c.format = format;
  c.out = out;
}

bool Enabled(Level level) { return static_cast<int>(level) >= GetConfig().min_level.load(); }

void Write(Level level, std::string_view event, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  Config& c = GetConfig();
  std::string line;
  line.reserve(128);
  std::string ts = FormatIso8601(SystemClock::Get().NowMillis(), /*millis=*/true);
  std::lock_guard<std::mutex> lock(c.mu);
  if (c.format == Format::kJson) {
    line += "{\"ts\":\"" + ts + "\",\"level\":\"" + LevelName(level) + "\",\"event\":";
    AppendJsonString(&line, event);
    for (const Field& f : fields) {
      line.push_back(',');
      AppendJsonString(&line, f.key);
      line.push_back(':');
      if (f.quoted) {
        AppendJsonString(&line, f.value);
      } else {
        line += f.value;
      }
    }
    line += "}\n";
  } else {
    line += ts;
    line.push_back(' ');
    std::string lv = LevelName(level);
    line += lv;
    line.append(6 - lv.size(), ' ');
    line += event;
    for (const Field& f : fields) {
      line.push_back(' ');
      line += f.key;
      line.push_back('=');
      if (f.quoted && NeedsQuotes(f.value)) {
        AppendJsonString(&line, f.value);
      } else {
        line += f.value;
      }
    }
    line.push_back('\n');
  }
  std::fwrite(line.data(), 1, line.size(), c.out);
  std::fflush(c.out);
}

bool ParseLevel(std::string_view text, Level* out) {
  if (text == "debug") *out = Level::kDebug;
  else if (text == "info") *out = Level::kInfo;
  else if (text == "warn") *out = Level::kWarn;
  else if (text == "error") *out = Level::kError;
  else return false;
  return true;
}

bool ParseFormat(std::string_view text, Format* out) {
  if (text == "text") *out = Format::kText;
  else if (text == "json") *out = Format::kJson;
  else return false;
  return true;
}

}  // namespace brewline::log
