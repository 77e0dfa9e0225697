// `brewline status --backend aws`: the status report of a pipeline whose stream is on Kinesis and whose
// buckets are on S3 (`brewline run --backend aws`). The remote sections come from AWS, read-only:
//   stream: DescribeStreamSummary (status, retention, open shards) and ListShards;
//   consumers: per delivery (its checkpoints stay in the local data dir) and shard, one bounded read after the
//     checkpoint (GetShardIterator AFTER_SEQUENCE_NUMBER, or TRIM_HORIZON without one, then GetRecords):
//     records_behind is exact only when that read reached the tip (records_behind_exact), ms_behind is the
//     age of the oldest pending record by its ApproximateArrivalTimestamp against this machine's clock (an
//     estimate), millis_behind_latest is Kinesis's own figure for the read;
//   buckets: ListObjectsV2 summed over at most max_list_pages pages ("complete": false = at least that many).
// Run, deliveries, scorer, table and errors are read from the data dir exactly as local status reads them
// (the data dir may be missing: those sections then say so).
//
// Errors: any failed AWS call (no credentials or region, endpoint unreachable, stream or bucket missing,
// denied) leaves that section marked unavailable in the report, and the first one is returned beside the
// report so the command prints the report and exits 1 with that one line on stderr.
#pragma once

#include <memory>

#include "aws/credentials.h"
#include "aws/http_client.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/result.h"
#include "pipeline/pipeline_config.h"
#include "pipeline/status_report.h"

namespace brewline::pipeline {

struct AwsStatusOptions {
  int max_list_pages = 10;         // per bucket
  int list_page_size = 1000;       // ListObjectsV2 MaxKeys (1-1000)
  int max_records_per_read = 100;  // GetRecords Limit of the lag read
  int max_reads = 3;               // GetRecords calls per consumer and shard (Kinesis may answer empty pages first)
  std::shared_ptr<aws::HttpClient> http;  // nullptr = a CurlHttpClient
};

struct AwsStatusReport {
  StatusReport report;  // always complete as far as it could be read
  Status error;         // OK, or the first AWS failure (the report's backend.error says the same)
};

// Reads config.stream on Kinesis and config.aws.raw_bucket / cleaned_bucket on S3, resolving credentials,
// region and endpoints as `run --backend aws` does. Fails (without a report) only when the local data dir
// cannot be read.
Result<AwsStatusReport> CollectAwsStatus(const PipelineConfig& config, const aws::EnvLookup& env, FileSystem& fs,
                                         Clock& clock, const AwsStatusOptions& options = {});

}  // namespace brewline::pipeline
