// JSON state files: small documents one process rewrites while others read them at any time (a delivery's
// state.json and stats.json, the run's status.json). Writes are atomic (WriteFileAtomically): a reader or a
// crash sees the old file or the new one, never a mix.
//
// Each file lists its fields once, in one function template serving both directions:
//   template <typename Fields, typename S> void Bind(Fields& f, S& s) {
//     f("pid", s.pid);
//     f.Object("ingest", [&](auto& in) { in("runs", s.ingest_runs); });
//   }
// JsonFieldWriter (S = const T) puts them into an object in that order; JsonFieldReader (S = T) copies the keys
// present and leaves absent or null ones at the struct's value, so older or partial files read as far as they
// go. A wrong type throws nlohmann::json::exception, which ReadJsonFields turns into Corruption.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/file_system.h"
#include "common/result.h"

namespace brewline {

class JsonFieldWriter {
 public:
  explicit JsonFieldWriter(nlohmann::ordered_json& out) : out_(out) {}
  template <typename T>
  void operator()(const char* key, const T& value) {
    out_[key] = value;
  }
  // A nested object whose fields `fn(JsonFieldWriter&)` writes.
  template <typename Fn>
  void Object(const char* key, Fn&& fn) {
    nlohmann::ordered_json child = nlohmann::ordered_json::object();
    JsonFieldWriter nested(child);
    std::forward<Fn>(fn)(nested);
    out_[key] = std::move(child);
  }

 private:
  nlohmann::ordered_json& out_;
};

class JsonFieldReader {
 public:
  explicit JsonFieldReader(const nlohmann::json& in) : in_(in) {}
  template <typename T>
  void operator()(const char* key, T& value) {
    auto it = in_.find(key);
    if (it != in_.end() && !it->is_null()) it->get_to(value);
  }
  // A nested object; absent or not an object, its fields keep their values.
  template <typename Fn>
  void Object(const char* key, Fn&& fn) {
    auto it = in_.find(key);
    if (it == in_.end() || !it->is_object()) return;
    JsonFieldReader nested(*it);
    std::forward<Fn>(fn)(nested);
  }

 private:
  const nlohmann::json& in_;
};

// `text` as a JSON object; Corruption "<what> is not a JSON object" otherwise.
Result<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what);

// Reads and parses the file at `path`: nullopt when it does not exist; Corruption naming `what` when damaged.
Result<std::optional<nlohmann::json>> ReadJsonStateFile(FileSystem& fs, const std::string& path,
                                                        std::string_view what);

// Runs `read(JsonFieldReader&)` over `object`; a wrong-typed field is Corruption "<what> is damaged: …".
template <typename Fn>
Status ReadJsonFields(const nlohmann::json& object, std::string_view what, Fn&& read) {
  try {
    JsonFieldReader reader(object);
    std::forward<Fn>(read)(reader);
  } catch (const nlohmann::json::exception& e) {
    return Corruption(std::string(what) + " is damaged: " + e.what());
  }
  return Status::OK();
}

// Writes `value` atomically, dumped with `indent` (nlohmann's: -1 = one line), followed by a newline when
// `trailing_newline`.
Status WriteJsonStateFile(FileSystem& fs, const std::string& path, const nlohmann::ordered_json& value,
                          int indent = 1, bool trailing_newline = false);

}  // namespace brewline
