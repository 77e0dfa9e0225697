// S3ObjectStore: store::ObjectStore over the S3 REST API (SigV4 "s3", x-amz-content-sha256, URIs encoded once
// and never normalised). Path-style addressing (endpoint/bucket/key) for custom endpoints — moto, s3rver,
// MinIO — and virtual-hosted style (bucket.endpoint/key) for AWS itself. It never creates buckets: a missing
// bucket is NotFound with type "NoSuchBucket" and a message saying so. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "aws/aws_client.h"
#include "store/object_store.h"

namespace brewline::aws {

class S3ObjectStore final : public store::ObjectStore {
 public:
  S3ObjectStore(Endpoint endpoint, bool path_style, std::shared_ptr<AwsClient> client);

  Status Put(const std::string& bucket, const std::string& key, std::string_view data) override;
  Result<std::string> Get(const std::string& bucket, const std::string& key) override;
  Result<store::ObjectInfo> Head(const std::string& bucket, const std::string& key) override;
  Result<store::ListPage> List(const std::string& bucket, const store::ListOptions& options) override;
  Status Delete(const std::string& bucket, const std::string& key) override;

  // HEAD on the bucket: OK when it exists and we may use it; NotFound ("NoSuchBucket") otherwise.
  Status CheckBucket(const std::string& bucket);

 private:
  AwsRequest Request(const std::string& method, const std::string& bucket, const std::string& key) const;

  Endpoint endpoint_;
  bool path_style_;
  std::shared_ptr<AwsClient> client_;
};

// Maps an S3 error response (XML <Error><Code>…</Code><Message>…</Message></Error>, or a bare status for HEAD)
// to a Status whose type() is S3's code ("NoSuchKey", "NoSuchBucket", "AccessDenied", "SlowDown", …).
Status S3Error(const HttpResponse& response, const std::string& bucket, const std::string& key);

// Parses a ListObjectsV2 response body.
Result<store::ListPage> ParseListBucketResult(std::string_view xml);

// "Fri, 27 Nov 2026 07:19:15 GMT" (RFC 7231 IMF-fixdate) → epoch ms.
Result<int64_t> ParseHttpDate(std::string_view text);

}  // namespace brewline::aws
