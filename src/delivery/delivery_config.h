// DeliveryConfig: one Firehose-style delivery stream (source stream → optional transform → bucket), with
// Firehose's knobs and limits, and the two deliveries brewline runs by default (`raw` and `cleaned`).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/backoff.h"
#include "common/status.h"

namespace brewline::delivery {

enum class Compression { kNone, kGzip };

inline constexpr uint64_t kMiB = 1024 * 1024;

struct DeliveryConfig {
  std::string name;            // the DeliveryStreamName: [a-zA-Z0-9_.-]{1,64}; names state dir and objects
  int version = 1;             // DeliveryStreamVersion, part of every object name
  std::string stream = "beers";  // the source stream's name (for ARNs in events; the Stream object is passed in)
  std::string bucket;
  // Firehose Prefix / ErrorOutputPrefix (see delivery/key_prefix.h). "" = the defaults: `YYYY/MM/dd/HH/` and
  // `!{firehose:error-output-type}/YYYY/MM/dd/HH/` (i.e. processing-failed/…). The error output goes to `bucket`.
  std::string prefix;
  std::string error_output_prefix;
  // Buffering hints: whichever is reached first flushes. SizeInMBs 1–128, IntervalInSeconds 0–900.
  uint64_t buffer_size_bytes = 5 * kMiB;
  std::chrono::seconds buffer_interval{300};
  Compression compression = Compression::kNone;
  bool append_newline = true;  // processor AppendDelimiterToRecord
  // The Lambda processor: records go through the transformation handler (delivery/transform_invoker.h).
  bool transform = false;
  int transform_retries = 3;               // NumberOfRetries after a failed invocation
  int transform_batch_records = 500;       // records per invocation (Firehose caps the payload at 6 MB)
  uint64_t transform_batch_bytes = 3 * kMiB;
  std::string lambda_arn = "arn:aws:lambda:local:000000000000:function:brewline-transform";
  std::string region = "local";
  // Reading the source: GetRecords limit per shard per poll, and the wait between polls when idle.
  int max_records_per_poll = 10000;
  std::chrono::milliseconds poll_interval{1000};
  // Retries of a store write, inside one flush (capped exponential backoff with full jitter).
  BackoffPolicy store_retry{std::chrono::milliseconds(100), std::chrono::milliseconds(10000), 8};
};

// Firehose's limits: name, version ≥ 1, bucket name, buffering hints, prefixes (≤ 512 chars, valid
// expressions; a prefix using expressions needs an error output prefix with !{firehose:error-output-type}).
Status ValidateDeliveryConfig(const DeliveryConfig& config);

// `raw`: every record as received plus "\n", into bucket `raw`.
DeliveryConfig DefaultRawDelivery();
// `cleaned`: the transform (delivery/transform.h) → CSV lines into bucket `cleaned`; failures under
// processing-failed/ in the same bucket.
DeliveryConfig DefaultCleanedDelivery();

const char* CompressionName(Compression c);  // "UNCOMPRESSED" | "GZIP"
bool ParseCompression(const std::string& text, Compression* out);  // also accepts "none", "gzip"

}  // namespace brewline::delivery
