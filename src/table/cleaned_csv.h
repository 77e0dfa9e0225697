// Reads the body of a `cleaned` object — RFC 4180 CSV, no header, one record per beer in schema order,
// "\n"-terminated — into typed values, one record at a time, validating each against beer::kCleanedColumns.
// A malformed record is reported (line, reason, raw text) and the reader continues with the next one, so one
// bad line never hides the rest of an object.
//
// Rules: beer/csv.h's (the writer's): fields separated by ','; a field is either bare (no '"') or quoted ("…",
// with "" for a quote; may contain ',' and newlines). A trailing "\r" before "\n" is tolerated; a bare "\r"
// elsewhere outside quotes is an error. A final record without "\n" is accepted.
// integer columns: decimal digits with an optional '-'; real columns: a finite decimal number; text: any.
// Empty → NULL for nullable columns; empty in a NOT NULL column is an error.
//
// Not thread-safe; the body must outlive the reader (values may point into it).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace brewline::table {

struct CsvValue {
  bool is_null = true;
  int64_t i = 0;
  double d = 0;
  std::string_view text;  // valid until the next call to Next()
};

struct CsvRecord {
  int64_t line = 0;             // 1-based record number in the object
  std::string_view raw;         // the record's text, without its terminator
  bool ok = false;
  std::string error;            // when !ok: one line, e.g. "column 'abv': not a number: \"x\""
  std::vector<CsvValue> values; // when ok: one per schema column, in order
};

class CleanedCsvReader {
 public:
  explicit CleanedCsvReader(std::string_view body);
  // Reads the next record into *rec; false at the end of the body.
  bool Next(CsvRecord* rec);

 private:
  bool Convert(CsvRecord* rec);

  std::string_view body_;
  size_t pos_ = 0;
  int64_t line_ = 0;
  std::vector<std::string> fields_;   // unquoted field texts, reused between records
};

}  // namespace brewline::table
