#include "server/dashboard_assets.h"

#include <map>
#include <string>

namespace brewline::server {
namespace {

std::string_view ContentTypeOf(std::string_view path) {
  auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.substr(path.size() - s.size()) == s; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

const Asset* FindAsset(std::string_view path) {
  static const std::map<std::string, Asset, std::less<>> assets = [] {
    std::map<std::string, Asset, std::less<>> m;
    for (const EmbeddedFile& f : EmbeddedFiles()) m[std::string(f.path)] = Asset{f.body, ContentTypeOf(f.path)};
    if (auto it = m.find("/index.html"); it != m.end()) m["/"] = it->second;
    return m;
  }();
  auto it = assets.find(path);
  return it == assets.end() ? nullptr : &it->second;
}

}  // namespace brewline::server
