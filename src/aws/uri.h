// URI pieces for AWS requests: RFC 3986 percent-encoding as SigV4 defines it, and endpoint URL parsing.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace brewline::aws {

// Percent-encodes every byte except the unreserved set A-Z a-z 0-9 - . _ ~ (upper-case hex).
// With keep_slash, '/' is left as is (for paths).
std::string UriEncode(std::string_view s, bool keep_slash = false);
// Decodes %XX sequences; malformed sequences are kept literally. '+' is not special.
std::string PercentDecode(std::string_view s);

// A parsed endpoint such as "http://127.0.0.1:4566" or "https://kinesis.eu-west-1.amazonaws.com".
struct Endpoint {
  std::string scheme;  // "http" | "https"
  std::string host;    // no port
  int port = 0;        // 0 = the scheme's default
  std::string base_path;  // "" or "/prefix" without trailing slash
  // "host" or "host:port" as the Host header carries it (port only when not the scheme's default).
  std::string HostHeader() const;
  // "scheme://host[:port]".
  std::string Origin() const;
};

Result<Endpoint> ParseEndpoint(std::string_view url);

}  // namespace brewline::aws
