#include "common/json_state_file.h"

namespace brewline {

Result<nlohmann::json> ParseJsonObject(std::string_view text, std::string_view what) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corruption(std::string(what) + " is not a JSON object");
  return j;
}

Result<std::optional<nlohmann::json>> ReadJsonStateFile(FileSystem& fs, const std::string& path,
                                                        std::string_view what) {
  if (!fs.Exists(path)) return std::optional<nlohmann::json>();
  ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonObject(text, std::string(what) + " " + path));
  return std::optional<nlohmann::json>(std::move(j));
}

Status WriteJsonStateFile(FileSystem& fs, const std::string& path, const nlohmann::ordered_json& value, int indent,
                          bool trailing_newline) {
  std::string text = value.dump(indent);
  if (trailing_newline) text += "\n";
  return WriteFileAtomically(fs, path, text);
}

}  // namespace brewline
