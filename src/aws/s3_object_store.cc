#include "aws/s3_object_store.h"

#include <charconv>
#include <cstring>

#include "aws/xml.h"
#include "common/time_util.h"

namespace brewline::aws {
namespace {

std::string Describe(const std::string& bucket, const std::string& key) {
  return key.empty() ? "s3://" + bucket : "s3://" + bucket + "/" + key;
}

Status CheckKey(const std::string& bucket, const std::string& key) {
  if (bucket.empty()) return InvalidArgument("S3: empty bucket name");
  if (key.empty() || key.size() > 1024) return InvalidArgument("S3: object key must be 1-1024 bytes");
  return Status::OK();
}

}  // namespace

Status S3Error(const HttpResponse& response, const std::string& bucket, const std::string& key) {
  std::string code;
  std::string message;
  if (!response.body.empty()) {
    auto doc = ParseXml(response.body);
    if (doc.ok() && doc->name == "Error") {
      code = doc->ChildText("Code");
      message = doc->ChildText("Message");
    }
  }
  if (code.empty()) {
    // HEAD responses have no body: infer from the status.
    if (response.status == 404) code = key.empty() ? "NoSuchBucket" : "NotFound";
    else if (response.status == 403) code = "AccessDenied";
    else if (response.status == 503) code = "SlowDown";
  }
  std::string where = Describe(bucket, key);
  std::string text = "S3 " + where + ": " + (code.empty() ? "HTTP " + std::to_string(response.status) : code) +
                     (message.empty() ? "" : ": " + message);
  if (code == "NoSuchBucket") {
    return NotFound("S3 bucket '" + bucket +
                        "' does not exist (the AWS backend never creates buckets; create it with Terraform)",
                    code);
  }
  if (code == "NoSuchKey" || code == "NotFound" || response.status == 404) return NotFound(text, code);
  if (response.status == 403 || code == "AccessDenied" || code == "SignatureDoesNotMatch" ||
      code == "InvalidAccessKeyId") {
    return PermissionDenied(text, code);
  }
  if (code == "SlowDown" || response.status == 429) return ResourceExhausted(text, code);
  if (response.status >= 500) return Unavailable(text, code);
  return InvalidArgument(text, code);
}

Result<int64_t> ParseHttpDate(std::string_view text) {
  // "Fri, 27 Nov 2026 07:19:15 GMT"
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  size_t comma = text.find(", ");
  if (comma == std::string_view::npos || text.size() < comma + 22) {
    return InvalidArgument("bad HTTP date '" + std::string(text) + "'");
  }
  std::string_view s = text.substr(comma + 2);  // "27 Nov 2026 07:19:15 GMT"
  auto num = [&](size_t pos, size_t len, int* out) {
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, *out);
    return ec == std::errc() && p == s.data() + pos + len;
  };
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0, month = 0;
  for (int m = 0; m < 12; ++m) {
    if (s.substr(3, 3) == kMonths[m]) month = m + 1;
  }
  if (!num(0, 2, &day) || month == 0 || !num(7, 4, &year) || !num(12, 2, &hh) || !num(15, 2, &mm) ||
      !num(18, 2, &ss)) {
    return InvalidArgument("bad HTTP date '" + std::string(text) + "'");
  }
  return FromUtc(year, month, day, hh, mm, ss);
}

Result<store::ListPage> ParseListBucketResult(std::string_view xml) {
  ASSIGN_OR_RETURN(XmlElement doc, ParseXml(xml));
  if (doc.name != "ListBucketResult") return Corruption("S3 list: unexpected root <" + doc.name + ">");
  store::ListPage page;
  for (const XmlElement* c : doc.Children("Contents")) {
    store::ObjectInfo info;
    info.key = c->ChildText("Key");
    std::string size = c->ChildText("Size");
    std::from_chars(size.data(), size.data() + size.size(), info.size);
    info.etag = c->ChildText("ETag");
    auto when = ParseIso8601(c->ChildText("LastModified"));
    if (when.ok()) info.last_modified_ms = *when;
    page.objects.push_back(std::move(info));
  }
  for (const XmlElement* p : doc.Children("CommonPrefixes")) page.common_prefixes.push_back(p->ChildText("Prefix"));
  page.is_truncated = doc.ChildText("IsTruncated") == "true";
  page.next_continuation_token = doc.ChildText("NextContinuationToken");
  if (page.is_truncated && page.next_continuation_token.empty()) {
    return Corruption("S3 list: truncated page without NextContinuationToken");
  }
  return page;
}

S3ObjectStore::S3ObjectStore(Endpoint endpoint, bool path_style, std::shared_ptr<AwsClient> client)
    : endpoint_(std::move(endpoint)), path_style_(path_style), client_(std::move(client)) {}

AwsRequest S3ObjectStore::Request(const std::string& method, const std::string& bucket, const std::string& key) const {
  AwsRequest req;
  req.s3 = true;
  req.method = method;
  req.endpoint = endpoint_;
  if (path_style_) {
    req.path = "/" + bucket + (key.empty() ? "" : "/" + key);
  } else {
    req.endpoint.host = bucket + "." + endpoint_.host;
    req.path = "/" + key;
  }
  return req;
}

Status S3ObjectStore::Put(const std::string& bucket, const std::string& key, std::string_view data) {
  RETURN_IF_ERROR(CheckKey(bucket, key));
  AwsRequest req = Request("PUT", bucket, key);
  req.body = std::string(data);
  req.headers.emplace_back("Content-Type", "application/octet-stream");
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
  if (resp.status != 200) return S3Error(resp, bucket, key);
  return Status::OK();
}

Result<std::string> S3ObjectStore::Get(const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(CheckKey(bucket, key));
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(Request("GET", bucket, key)));
  if (resp.status != 200) return S3Error(resp, bucket, key);
  return std::move(resp.body);
}

Result<store::ObjectInfo> S3ObjectStore::Head(const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(CheckKey(bucket, key));
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(Request("HEAD", bucket, key)));
  if (resp.status != 200) return S3Error(resp, bucket, key);
  store::ObjectInfo info;
  info.key = key;
  std::string len = resp.Header("content-length");
  std::from_chars(len.data(), len.data() + len.size(), info.size);
  info.etag = resp.Header("etag");
  auto when = ParseHttpDate(resp.Header("last-modified"));
  if (when.ok()) info.last_modified_ms = *when;
  return info;
}

Result<store::ListPage> S3ObjectStore::List(const std::string& bucket, const store::ListOptions& options) {
  if (bucket.empty()) return InvalidArgument("S3: empty bucket name");
  if (options.max_keys < 1 || options.max_keys > 1000) return InvalidArgument("S3 list: max_keys must be 1-1000");
  AwsRequest req = Request("GET", bucket, "");
  if (!path_style_) req.path = "/";
  req.query.emplace_back("list-type", "2");
  if (!options.prefix.empty()) req.query.emplace_back("prefix", options.prefix);
  if (!options.delimiter.empty()) req.query.emplace_back("delimiter", options.delimiter);
  if (!options.start_after.empty()) req.query.emplace_back("start-after", options.start_after);
  if (!options.continuation_token.empty()) req.query.emplace_back("continuation-token", options.continuation_token);
  req.query.emplace_back("max-keys", std::to_string(options.max_keys));
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
  if (resp.status != 200) return S3Error(resp, bucket, "");
  return ParseListBucketResult(resp.body);
}

Status S3ObjectStore::Delete(const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(CheckKey(bucket, key));
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(Request("DELETE", bucket, key)));
  if (resp.status == 204 || resp.status == 200) return Status::OK();
  Status st = S3Error(resp, bucket, key);
  if (st.type() == "NoSuchKey") return Status::OK();  // deleting a missing key succeeds, as in S3
  return st;
}

Status S3ObjectStore::CheckBucket(const std::string& bucket) {
  AwsRequest req = Request("HEAD", bucket, "");
  if (!path_style_) req.path = "/";
  ASSIGN_OR_RETURN(HttpResponse resp, client_->Send(req));
  if (resp.status == 200) return Status::OK();
  return S3Error(resp, bucket, "");
}

}  // namespace brewline::aws
