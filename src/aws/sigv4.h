// AWS Signature Version 4 (AWS4-HMAC-SHA256), in the header form (Authorization header) and the query form
// (presigned URL). Pure functions: no clock or I/O; the time is an input. Verified against every case of the
// official suite in shared/fixtures/sigv4 (tests/aws/sigv4_fixture_test.cc).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"

namespace brewline::aws {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// The request as the signer sees it. `path` and `query` are *decoded* (raw bytes); the signer encodes them
// once, as SigV4 specifies and S3 requires. `headers` are the headers to sign (Host among them); names in
// any case; a name may repeat (values are joined with ',').
struct SignableRequest {
  std::string method = "GET";
  std::string path = "/";
  KeyValues query;
  KeyValues headers;
  std::string payload_hash;  // hex SHA-256 of the body, or "UNSIGNED-PAYLOAD"
};

struct SigningOptions {
  std::string region;
  std::string service;
  int64_t time_ms = 0;           // signing time, epoch ms
  bool normalize_path = true;    // false for S3: the URI is not normalised (no "."/".."/"//" folding)
  bool add_content_sha256 = false;  // header form: add and sign x-amz-content-sha256 (S3 requires it)
  bool omit_session_token = false;  // add the token after signing, unsigned (some services want that)
  int expires_seconds = 3600;    // query form: X-Amz-Expires
};

struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lower-case hex
  // Header form: X-Amz-Date, x-amz-content-sha256, X-Amz-Security-Token, Authorization (to add to the request).
  // Query form: X-Amz-Algorithm, …, X-Amz-Signature (decoded; to append to the query string).
  KeyValues additions;
};

SigningResult SignWithHeaders(const SignableRequest& request, const Credentials& credentials,
                              const SigningOptions& options);
SigningResult Presign(const SignableRequest& request, const Credentials& credentials, const SigningOptions& options);

// Building blocks, exposed for tests and for building the wire URL.
std::string CanonicalUri(std::string_view raw_path, bool normalize);
std::string CanonicalQueryString(const KeyValues& query);
// "20150830T123600Z".
std::string AmzDate(int64_t time_ms);

}  // namespace brewline::aws
