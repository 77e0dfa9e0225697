#include "aws/credentials.h"

#include <cctype>
#include <cstdlib>

namespace brewline::aws {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> NonEmpty(const EnvLookup& env, const std::string& name) {
  auto v = env(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

std::string HomePath(const EnvLookup& env, const std::string& rest) {
  auto home = NonEmpty(env, "HOME");
  return (home ? *home : std::string(".")) + rest;
}

std::string CredentialsPath(const EnvLookup& env) {
  auto p = NonEmpty(env, "AWS_SHARED_CREDENTIALS_FILE");
  return p ? *p : HomePath(env, "/.aws/credentials");
}

std::string ConfigPath(const EnvLookup& env) {
  auto p = NonEmpty(env, "AWS_CONFIG_FILE");
  return p ? *p : HomePath(env, "/.aws/config");
}

// Reads an INI file; a missing or unreadable file is an empty one (the chain moves on).
IniFile ReadIni(FileSystem& fs, const std::string& path) {
  if (!fs.Exists(path)) return {};
  auto text = fs.ReadFile(path);
  if (!text.ok()) return {};
  return ParseIni(*text);
}

// The config file names profiles "[profile NAME]", except "[default]".
const std::map<std::string, std::string>* ConfigProfile(const IniFile& config, const std::string& profile) {
  auto it = config.find("profile " + profile);
  if (it == config.end() && profile == "default") it = config.find("default");
  return it == config.end() ? nullptr : &it->second;
}

std::optional<std::string> Get(const std::map<std::string, std::string>* section, const std::string& key) {
  if (!section) return std::nullopt;
  auto it = section->find(key);
  if (it == section->end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string Credentials::ToString() const {
  std::string tail = access_key_id.size() > 4 ? access_key_id.substr(access_key_id.size() - 4) : "";
  return "Credentials{key=****" + tail + ", secret=<redacted>, token=" +
         (session_token.empty() ? "none" : "<redacted>") + ", source=" + source + "}";
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

EnvLookup MapEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

IniFile ParseIni(std::string_view text) {
  IniFile out;
  std::string section;
  std::string last_key;  // for indented sub-keys ("s3 =\n  endpoint_url = …")
  std::string parent;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    pos = nl + 1;
    bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = Trim(line.substr(1, line.size() - 2));
      out[section];
      parent.clear();
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = Lower(Trim(line.substr(0, eq)));
    std::string value = Trim(line.substr(eq + 1));
    if (indented && !parent.empty()) {
      out[section][parent + "." + key] = value;  // nested: "kinesis.endpoint_url"
      continue;
    }
    out[section][key] = value;
    parent = value.empty() ? key : "";
  }
  return out;
}

std::string ProfileName(const EnvLookup& env, const std::string& override_profile) {
  if (!override_profile.empty()) return override_profile;
  if (auto p = NonEmpty(env, "AWS_PROFILE")) return *p;
  if (auto p = NonEmpty(env, "AWS_DEFAULT_PROFILE")) return *p;
  return "default";
}

Result<Credentials> ResolveCredentials(const EnvLookup& env, FileSystem& fs, const std::string& profile_override) {
  auto key = NonEmpty(env, "AWS_ACCESS_KEY_ID");
  auto secret = NonEmpty(env, "AWS_SECRET_ACCESS_KEY");
  if (key && secret) {
    Credentials c{*key, *secret, NonEmpty(env, "AWS_SESSION_TOKEN").value_or(""), "environment"};
    return c;
  }
  std::string profile = ProfileName(env, profile_override);
  std::string cred_path = CredentialsPath(env);
  IniFile creds = ReadIni(fs, cred_path);
  auto it = creds.find(profile);
  const std::map<std::string, std::string>* section = it == creds.end() ? nullptr : &it->second;
  std::string source = "shared-credentials-file:" + profile;
  if (!Get(section, "aws_access_key_id")) {
    IniFile config = ReadIni(fs, ConfigPath(env));
    const auto* cfg = ConfigProfile(config, profile);
    if (auto k = Get(cfg, "aws_access_key_id")) {
      auto s = Get(cfg, "aws_secret_access_key");
      if (!s) return InvalidArgument("profile '" + profile + "' in the config file has no aws_secret_access_key");
      return Credentials{*k, *s, Get(cfg, "aws_session_token").value_or(""), "config-file:" + profile};
    }
    return NotFound("no AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY unset and profile '" + profile +
                    "' not in " + cred_path + " or " + ConfigPath(env));
  }
  auto s = Get(section, "aws_secret_access_key");
  if (!s) return InvalidArgument("profile '" + profile + "' in " + cred_path + " has no aws_secret_access_key");
  return Credentials{*Get(section, "aws_access_key_id"), *s, Get(section, "aws_session_token").value_or(""), source};
}

Result<std::string> ResolveRegion(const EnvLookup& env, FileSystem& fs, const std::string& profile_override) {
  if (auto r = NonEmpty(env, "AWS_REGION")) return *r;
  if (auto r = NonEmpty(env, "AWS_DEFAULT_REGION")) return *r;
  std::string profile = ProfileName(env, profile_override);
  IniFile config = ReadIni(fs, ConfigPath(env));
  if (auto r = Get(ConfigProfile(config, profile), "region")) return *r;
  return NotFound("no AWS region: set AWS_REGION or AWS_DEFAULT_REGION, or `region` in profile '" + profile + "'");
}

std::optional<std::string> ResolveEndpointUrl(const EnvLookup& env, FileSystem& fs, const std::string& service,
                                              const std::string& explicit_url, const std::string& profile_override) {
  if (!explicit_url.empty()) return explicit_url;
  // As in the SDKs: this switch disables every configured (environment or file) endpoint.
  auto ignore = NonEmpty(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
  if (ignore && Lower(*ignore) == "true") return std::nullopt;
  if (auto u = NonEmpty(env, "AWS_ENDPOINT_URL_" + Upper(service))) return u;
  if (auto u = NonEmpty(env, "AWS_ENDPOINT_URL")) return u;
  // Config file: a profile's `services = NAME` points at "[services NAME]" with "kinesis =\n  endpoint_url = …";
  // else the profile's own endpoint_url.
  std::string profile = ProfileName(env, profile_override);
  IniFile config = ReadIni(fs, ConfigPath(env));
  const auto* cfg = ConfigProfile(config, profile);
  if (auto services = Get(cfg, "services")) {
    auto it = config.find("services " + *services);
    if (it != config.end()) {
      if (auto u = Get(&it->second, Lower(service) + ".endpoint_url")) return u;
    }
  }
  if (auto u = Get(cfg, "endpoint_url")) return u;
  return std::nullopt;
}

}  // namespace brewline::aws
