// The Athena/Glue twin of the local `cleaned` table, generated from beer::kCleanedColumns.
//
// SerDe choice (see docs/table.md): OpenCSVSerde, because it honours RFC 4180 quoting — beer 204's name
// contains commas — which LazySimpleSerDe cannot read. OpenCSVSerde fails on empty values in numeric columns
// (HIVE_BAD_DATA), and the cleaned CSV writes nulls as empty fields, so the external table declares every
// column `string` and a view of the same name as the local table CASTs them (empty → NULL).
// Partition projection maps the delivery's `YYYY/MM/dd/HH/` key layout to a `datehour` partition, which also
// keeps the error output (`processing-failed/…`) out of the table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brewline::table {

inline constexpr std::string_view kAthenaSerde = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
inline constexpr std::string_view kAthenaInputFormat = "org.apache.hadoop.mapred.TextInputFormat";
inline constexpr std::string_view kAthenaOutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
inline constexpr std::string_view kAthenaPartitionKey = "datehour";

struct AthenaOptions {
  std::string database = "brewline";
  std::string bucket = "cleaned";        // the S3 bucket name (on AWS usually prefixed, e.g. brewline-cleaned-…)
  std::string prefix;                    // key prefix before YYYY/MM/dd/HH/ ("" for Firehose's default)
  std::string raw_table = "cleaned_csv"; // the Glue external table (all columns string)
  std::string view = "cleaned";          // the typed view, named like the local table
  std::string range_start = "2021/01/01/00";
};

// One column of the Glue table, in schema order.
struct AthenaColumn {
  std::string name;
  std::string glue_type;  // the type in the Glue/external table: always "string" (see above)
  std::string view_type;  // the type the view CASTs to: bigint | string | double
  std::string description;
};

std::vector<AthenaColumn> AthenaColumns();
// "s3://<bucket>/<prefix>" with a trailing slash.
std::string AthenaLocation(const AthenaOptions& options);
// The Glue table's partition-projection parameters, in a fixed order (key, value).
std::vector<std::pair<std::string, std::string>> AthenaTableProperties(const AthenaOptions& options);
// CREATE EXTERNAL TABLE … ; followed by CREATE OR REPLACE VIEW … ; (two statements, as Athena runs one at a time).
std::string AthenaCreateTableDdl(const AthenaOptions& options);
std::string AthenaCreateViewDdl(const AthenaOptions& options);
std::string AthenaDdl(const AthenaOptions& options);

}  // namespace brewline::table
