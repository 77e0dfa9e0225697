#include "delivery/delivery_config.h"

#include "delivery/key_prefix.h"
#include "store/key_rules.h"

namespace brewline::delivery {

Status ValidateDeliveryConfig(const DeliveryConfig& c) {
  if (c.name.empty() || c.name.size() > 64) return InvalidArgument("delivery name must be 1-64 characters");
  for (char ch : c.name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
              ch == '.' || ch == '-';
    if (!ok) return InvalidArgument("delivery name '" + c.name + "': only [a-zA-Z0-9_.-] are allowed");
  }
  if (c.name == "." || c.name == "..") return InvalidArgument("delivery name '" + c.name + "' is reserved");
  if (c.version < 1) return InvalidArgument("delivery version must be >= 1");
  RETURN_IF_ERROR(store::ValidateBucketName(c.bucket));
  if (c.buffer_size_bytes < 1 * kMiB || c.buffer_size_bytes > 128 * kMiB) {
    return InvalidArgument("buffer size must be 1-128 MiB (Firehose SizeInMBs), got " +
                           std::to_string(c.buffer_size_bytes) + " bytes");
  }
  if (c.buffer_interval.count() < 0 || c.buffer_interval.count() > 900) {
    return InvalidArgument("buffer interval must be 0-900 s (Firehose IntervalInSeconds), got " +
                           std::to_string(c.buffer_interval.count()) + " s");
  }
  ASSIGN_OR_RETURN(KeyPrefix prefix, KeyPrefix::Parse(c.prefix, /*is_error_prefix=*/false));
  if (prefix.uses_expressions() && c.error_output_prefix.empty()) {
    return InvalidArgument("a prefix with expressions needs an error output prefix containing !{firehose:error-output-type}");
  }
  if (!c.error_output_prefix.empty()) {
    ASSIGN_OR_RETURN(KeyPrefix error_prefix, KeyPrefix::Parse(c.error_output_prefix, /*is_error_prefix=*/true));
    if (prefix.uses_expressions() && !error_prefix.has_error_output_type()) {
      return InvalidArgument("the error output prefix must contain !{firehose:error-output-type} when the prefix uses expressions");
    }
  }
  if (c.transform && (c.transform_batch_records < 1 || c.transform_retries < 0)) {
    return InvalidArgument("transform batch must be >= 1 record and retries >= 0");
  }
  if (c.max_records_per_poll < 1 || c.max_records_per_poll > 10000) {
    return InvalidArgument("records per poll must be 1-10000 (the GetRecords limit)");
  }
  if (c.store_retry.max_attempts < 1) return InvalidArgument("store retry attempts must be >= 1");
  return Status::OK();
}

DeliveryConfig DefaultRawDelivery() {
  DeliveryConfig c;
  c.name = "raw";
  c.bucket = "raw";
  return c;
}

DeliveryConfig DefaultCleanedDelivery() {
  DeliveryConfig c;
  c.name = "cleaned";
  c.bucket = "cleaned";
  c.transform = true;
  c.append_newline = false;  // the transform's CSV lines end with "\n" themselves
  return c;
}

const char* CompressionName(Compression c) { return c == Compression::kGzip ? "GZIP" : "UNCOMPRESSED"; }

bool ParseCompression(const std::string& text, Compression* out) {
  if (text == "GZIP" || text == "gzip") {
    *out = Compression::kGzip;
    return true;
  }
  if (text == "UNCOMPRESSED" || text == "none" || text == "uncompressed") {
    *out = Compression::kNone;
    return true;
  }
  return false;
}

}  // namespace brewline::delivery
