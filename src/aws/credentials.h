// AWS credentials and where they come from: the standard chain that the AWS CLI and SDKs use —
// environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), then the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials) and the config file (AWS_CONFIG_FILE, default
// ~/.aws/config, sections "[profile NAME]"/"[default]") for profile AWS_PROFILE (default "default").
// Secrets never appear in ToString()/logs: only the access key id's last four characters do.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "common/file_system.h"
#include "common/result.h"

namespace brewline::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
  std::string source;         // "environment", "shared-credentials-file:<profile>", … (for messages)

  // "Credentials{key=****WXYZ, secret=<redacted>, token=<redacted|none>, source=…}".
  std::string ToString() const;
};

// Reads one environment variable; nullopt when unset. Production uses ProcessEnv(); tests pass a map.
using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;
EnvLookup ProcessEnv();
EnvLookup MapEnv(std::map<std::string, std::string> vars);

// An INI file as the AWS CLI reads it: section → key → value (keys lower-cased, values trimmed).
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
IniFile ParseIni(std::string_view text);

// The profile in effect: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string ProfileName(const EnvLookup& env, const std::string& override_profile = "");

// Resolves credentials through the chain. NotFound (with the places looked at) when none is found;
// InvalidArgument when a profile has an access key without a secret.
Result<Credentials> ResolveCredentials(const EnvLookup& env, FileSystem& fs, const std::string& profile = "");

// Region: AWS_REGION, AWS_DEFAULT_REGION, then `region` in the config file's profile. NotFound otherwise.
Result<std::string> ResolveRegion(const EnvLookup& env, FileSystem& fs, const std::string& profile = "");

// The endpoint URL for a service ("kinesis", "s3") as the CLI/SDKs resolve it: an explicit override
// (--endpoint-url), AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, then `endpoint_url` in the profile
// (or its "services" section); AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true disables all but the explicit one.
// nullopt means "use the AWS default for the region".
std::optional<std::string> ResolveEndpointUrl(const EnvLookup& env, FileSystem& fs, const std::string& service,
                                              const std::string& explicit_url = "", const std::string& profile = "");

}  // namespace brewline::aws
