// Runs every case of the official SigV4 suite (shared/fixtures/sigv4, from awslabs/aws-c-auth): for each
// case, the header form and the query (presigned) form must reproduce the canonical request, the string to
// sign and the signature byte for byte. The fixture folder is $BREWLINE_SIGV4_FIXTURES, else
// <source>/../shared/fixtures/sigv4 (CI keeps shared/ beside the clone).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/crypto.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "common/time_util.h"
#include "testing/temp_dir.h"

namespace brewline::aws {
namespace {

namespace fs = std::filesystem;

std::string FixtureDir() {
  if (const char* env = std::getenv("BREWLINE_SIGV4_FIXTURES"); env && *env) return env;
  return testing::SourceDir() + "/../shared/fixtures/sigv4";
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct ParsedRequest {
  SignableRequest request;
  std::string body;
};

// request.txt: "METHOD PATH[?QUERY] HTTP/1.1", header lines "Name:value" (continuation lines start with
// whitespace), a blank line, then the body. The path is raw (unencoded); query parts may be percent-encoded.
ParsedRequest ParseRequestFile(const std::string& text) {
  ParsedRequest out;
  std::vector<std::string> lines;
  size_t pos = 0;
  size_t body_start = std::string::npos;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    pos = nl == std::string::npos ? text.size() : nl + 1;
    if (line.empty() && !lines.empty()) {
      body_start = pos;
      break;
    }
    lines.push_back(line);
  }
  if (body_start != std::string::npos) out.body = text.substr(body_start);
  const std::string& first = lines.at(0);
  size_t sp = first.find(' ');
  size_t http = first.rfind(" HTTP/");
  out.request.method = first.substr(0, sp);
  std::string target = first.substr(sp + 1, http - sp - 1);
  size_t q = target.find('?');
  out.request.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string query = target.substr(q + 1);
    size_t start = 0;
    while (start <= query.size()) {
      size_t amp = query.find('&', start);
      std::string part = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (!part.empty()) {
        size_t eq = part.find('=');
        std::string k = part.substr(0, eq);
        std::string v = eq == std::string::npos ? "" : part.substr(eq + 1);
        out.request.query.emplace_back(PercentDecode(k), PercentDecode(v));
      }
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (!l.empty() && (l[0] == ' ' || l[0] == '\t')) {
      out.request.headers.back().second += " " + l;
      continue;
    }
    size_t colon = l.find(':');
    out.request.headers.emplace_back(l.substr(0, colon), l.substr(colon + 1));
  }
  return out;
}

struct Case {
  std::string name;
  fs::path dir;
};

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(FixtureDir(), ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "context.json")) {
      cases.push_back({entry.path().filename().string(), entry.path()});
    }
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

struct CaseSetup {
  ParsedRequest parsed;
  Credentials creds;
  SigningOptions options;
};

CaseSetup Load(const Case& c) {
  CaseSetup s;
  auto ctx = nlohmann::json::parse(ReadAll(c.dir / "context.json"));
  s.creds.access_key_id = ctx["credentials"]["access_key_id"];
  s.creds.secret_access_key = ctx["credentials"]["secret_access_key"];
  if (ctx["credentials"].contains("token")) s.creds.session_token = ctx["credentials"]["token"];
  s.options.region = ctx["region"];
  s.options.service = ctx["service"];
  s.options.time_ms = *ParseIso8601(ctx["timestamp"].get<std::string>());
  s.options.normalize_path = ctx.value("normalize", true);
  s.options.add_content_sha256 = ctx.value("sign_body", false);
  s.options.omit_session_token = ctx.value("omit_session_token", false);
  s.options.expires_seconds = ctx.value("expiration_in_seconds", 3600);
  s.parsed = ParseRequestFile(ReadAll(c.dir / "request.txt"));
  s.parsed.request.payload_hash = Sha256Hex(s.parsed.body);
  return s;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

TEST(SigV4FixtureTest, SuiteIsPresentAndComplete) {
  auto cases = AllCases();
  ASSERT_FALSE(cases.empty()) << "no SigV4 fixtures under " << FixtureDir()
                              << " (set BREWLINE_SIGV4_FIXTURES to the folder)";
  EXPECT_GE(cases.size(), 38u);
}

TEST(SigV4FixtureTest, HeaderFormMatchesEveryCase) {
  int checked = 0;
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(c.name);
    CaseSetup s = Load(c);
    SigningResult r = SignWithHeaders(s.parsed.request, s.creds, s.options);
    EXPECT_EQ(r.canonical_request, Trimmed(ReadAll(c.dir / "header-canonical-request.txt")));
    EXPECT_EQ(r.string_to_sign, Trimmed(ReadAll(c.dir / "header-string-to-sign.txt")));
    EXPECT_EQ(r.signature, Trimmed(ReadAll(c.dir / "header-signature.txt")));
    // The Authorization header must appear verbatim in the expected signed request.
    std::string signed_request = ReadAll(c.dir / "header-signed-request.txt");
    std::string authorization;
    for (const auto& [k, v] : r.additions) {
      if (k == "Authorization") authorization = v;
      // Every header we add is in the expected request (names compared case-insensitively by value).
      EXPECT_NE(signed_request.find(":" + v + "\n"), std::string::npos) << k;
    }
    EXPECT_NE(signed_request.find("Authorization:" + authorization + "\n"), std::string::npos);
    ++checked;
  }
  EXPECT_GE(checked, 38);
}

TEST(SigV4FixtureTest, QueryFormMatchesEveryCase) {
  int checked = 0;
  for (const Case& c : AllCases()) {
    SCOPED_TRACE(c.name);
    CaseSetup s = Load(c);
    SigningResult r = Presign(s.parsed.request, s.creds, s.options);
    EXPECT_EQ(r.canonical_request, Trimmed(ReadAll(c.dir / "query-canonical-request.txt")));
    EXPECT_EQ(r.string_to_sign, Trimmed(ReadAll(c.dir / "query-string-to-sign.txt")));
    EXPECT_EQ(r.signature, Trimmed(ReadAll(c.dir / "query-signature.txt")));
    // Every added query parameter appears, encoded, in the expected presigned request line.
    std::string first_line = ReadAll(c.dir / "query-signed-request.txt");
    first_line = first_line.substr(0, first_line.find('\n'));
    for (const auto& [k, v] : r.additions) {
      EXPECT_NE(first_line.find(k + "=" + UriEncode(v)), std::string::npos) << k;
    }
    ++checked;
  }
  EXPECT_GE(checked, 38);
}

TEST(SigV4Test, GetVanillaSignatureIsTheDocumentedOne) {
  SignableRequest req;
  req.headers = {{"Host", "example.amazonaws.com"}};
  req.payload_hash = Sha256Hex("");
  Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "test"};
  SigningOptions o{"us-east-1", "service", *ParseIso8601("2015-08-30T12:36:00Z")};
  EXPECT_EQ(SignWithHeaders(req, creds, o).signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4Test, S3KeysAreEncodedOnceAndNotNormalised) {
  EXPECT_EQ(CanonicalUri("/bucket/a b/../c=d/%", false), "/bucket/a%20b/../c%3Dd/%25");
  EXPECT_EQ(CanonicalUri("/bucket//x/./y", false), "/bucket//x/./y");
  EXPECT_EQ(CanonicalUri("/a/./b/../c//", true), "/a/c/");
  EXPECT_EQ(CanonicalUri("", true), "/");
}

TEST(SigV4Test, QueryStringIsSortedByEncodedKeyThenValue) {
  EXPECT_EQ(CanonicalQueryString({{"b", "2"}, {"a", "z"}, {"a", "y"}, {"c d", "e/f"}}), "a=y&a=z&b=2&c%20d=e%2Ff");
  EXPECT_EQ(CanonicalQueryString({{"prefix", ""}}), "prefix=");
}

TEST(SigV4Test, AmzDateFormatsUtc) { EXPECT_EQ(AmzDate(*ParseIso8601("2015-08-30T12:36:00Z")), "20150830T123600Z"); }

}  // namespace
}  // namespace brewline::aws
