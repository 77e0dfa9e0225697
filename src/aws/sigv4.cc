#include "aws/sigv4.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "aws/crypto.h"
#include "aws/uri.h"
#include "common/time_util.h"

namespace brewline::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Trims and folds every run of whitespace (multi-line values included) into one space, as SigV4 requires.
std::string CanonicalHeaderValue(std::string_view v) {
  std::string out;
  bool in_space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

struct CanonicalHeaders {
  std::string block;   // "name:value\n" for each
  std::string signed_names;  // "a;b;c"
};

CanonicalHeaders BuildCanonicalHeaders(const KeyValues& headers) {
  std::map<std::string, std::string> merged;  // sorted by lower-cased name
  for (const auto& [name, value] : headers) {
    std::string key = Lower(name);
    std::string v = CanonicalHeaderValue(value);
    auto it = merged.find(key);
    if (it == merged.end()) {
      merged.emplace(std::move(key), std::move(v));
    } else {
      it->second += "," + v;
    }
  }
  CanonicalHeaders out;
  for (const auto& [name, value] : merged) {
    out.block += name + ":" + value + "\n";
    if (!out.signed_names.empty()) out.signed_names += ";";
    out.signed_names += name;
  }
  return out;
}

std::string Scope(const SigningOptions& o) { return AmzDate(o.time_ms).substr(0, 8) + "/" + o.region + "/" + o.service + "/aws4_request"; }

std::string SigningKey(const Credentials& c, const SigningOptions& o) {
  std::string k = HmacSha256("AWS4" + c.secret_access_key, AmzDate(o.time_ms).substr(0, 8));
  k = HmacSha256(k, o.region);
  k = HmacSha256(k, o.service);
  return HmacSha256(k, "aws4_request");
}

void Finish(SigningResult* r, const std::string& canonical, const Credentials& c, const SigningOptions& o) {
  r->canonical_request = canonical;
  r->string_to_sign =
      std::string(kAlgorithm) + "\n" + AmzDate(o.time_ms) + "\n" + Scope(o) + "\n" + Sha256Hex(canonical);
  r->signature = HexEncode(HmacSha256(SigningKey(c, o), r->string_to_sign));
}

}  // namespace

std::string AmzDate(int64_t time_ms) {
  UtcTime t = ToUtc(time_ms);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02dT%02d%02d%02dZ", t.year, t.month, t.day, t.hour, t.minute, t.second);
  return buf;
}

std::string CanonicalUri(std::string_view raw_path, bool normalize) {
  if (raw_path.empty()) return "/";
  if (!normalize) return UriEncode(raw_path, /*keep_slash=*/true);
  // Remove "." and ".." segments and empty segments ("//"), keeping a trailing slash.
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= raw_path.size()) {
    size_t end = raw_path.find('/', start);
    if (end == std::string_view::npos) end = raw_path.size();
    std::string_view seg = raw_path.substr(start, end - start);
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = end + 1;
  }
  std::string out;
  for (std::string_view seg : segments) out += "/" + UriEncode(seg);
  bool trailing = raw_path.back() == '/' || raw_path.ends_with("/.") || raw_path.ends_with("/..");
  if (out.empty() || trailing) out += "/";
  if (out == "//") out = "/";
  return out;
}

std::string CanonicalQueryString(const KeyValues& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [k, v] : query) encoded.emplace_back(UriEncode(k), UriEncode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [k, v] : encoded) {
    if (!out.empty()) out += "&";
    out += k + "=" + v;
  }
  return out;
}

SigningResult SignWithHeaders(const SignableRequest& request, const Credentials& credentials,
                              const SigningOptions& options) {
  SigningResult result;
  KeyValues headers = request.headers;
  std::string amz_date = AmzDate(options.time_ms);
  result.additions.emplace_back("X-Amz-Date", amz_date);
  if (options.add_content_sha256) result.additions.emplace_back("x-amz-content-sha256", request.payload_hash);
  if (!credentials.session_token.empty() && !options.omit_session_token) {
    result.additions.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  headers.insert(headers.end(), result.additions.begin(), result.additions.end());
  CanonicalHeaders ch = BuildCanonicalHeaders(headers);

  std::string canonical = request.method + "\n" + CanonicalUri(request.path, options.normalize_path) + "\n" +
                          CanonicalQueryString(request.query) + "\n" + ch.block + "\n" + ch.signed_names + "\n" +
                          request.payload_hash;
  Finish(&result, canonical, credentials, options);
  if (!credentials.session_token.empty() && options.omit_session_token) {
    result.additions.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  result.additions.emplace_back("Authorization", std::string(kAlgorithm) + " Credential=" +
                                                     credentials.access_key_id + "/" + Scope(options) +
                                                     ", SignedHeaders=" + ch.signed_names +
                                                     ", Signature=" + result.signature);
  return result;
}

SigningResult Presign(const SignableRequest& request, const Credentials& credentials, const SigningOptions& options) {
  SigningResult result;
  CanonicalHeaders ch = BuildCanonicalHeaders(request.headers);
  KeyValues added = {
      {"X-Amz-Algorithm", std::string(kAlgorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + Scope(options)},
      {"X-Amz-Date", AmzDate(options.time_ms)},
      {"X-Amz-SignedHeaders", ch.signed_names},
      {"X-Amz-Expires", std::to_string(options.expires_seconds)},
  };
  if (!credentials.session_token.empty() && !options.omit_session_token) {
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  KeyValues query = request.query;
  query.insert(query.end(), added.begin(), added.end());
  std::string canonical = request.method + "\n" + CanonicalUri(request.path, options.normalize_path) + "\n" +
                          CanonicalQueryString(query) + "\n" + ch.block + "\n" + ch.signed_names + "\n" +
                          request.payload_hash;
  Finish(&result, canonical, credentials, options);
  if (!credentials.session_token.empty() && options.omit_session_token) {
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  added.emplace_back("X-Amz-Signature", result.signature);
  result.additions = std::move(added);
  return result;
}

}  // namespace brewline::aws
