// CSV per RFC 4180 as the `cleaned` bucket writes it, and a reader for it.
//
// Writing: comma separator, "\n" line end; a text field is quoted only when it contains a comma, a double
// quote, CR or LF (quotes doubled); null is an empty field; numbers are written in the shortest form that
// round-trips (std::to_chars), so integral values have no fractional part ("50", not "50.0") and very large or
// small magnitudes may use an exponent ("1e+21"), which Python, pandas and SQLite all read.
//
// Reading: the inverse, tolerant of "\r\n" line ends and of a missing final newline. Quoted fields may span
// lines. A quote inside an unquoted field, text after a closing quote, or an unterminated quoted field is an
// InvalidArgument naming the line. Lines that are completely empty are skipped (as Python's csv module does).
//
// All functions are thread-safe; a CsvReader is not (one per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "beer/beer.h"
#include "common/result.h"

namespace brewline::beer {

// True when `text` must be quoted (contains , " \r or \n).
bool CsvNeedsQuoting(std::string_view text);
// Appends one text field, quoting it when needed. An empty string is written as an empty field (as null is);
// the cleaned schema never has empty text, so this is not ambiguous there.
void AppendCsvText(std::string* out, std::string_view text);
void AppendCsvInteger(std::string* out, int64_t value);
// Shortest round-trip form. NaN and infinities cannot come from JSON; they are written as an empty field.
void AppendCsvNumber(std::string* out, double value);
// nullopt → empty field.
void AppendCsvNumber(std::string* out, const std::optional<double>& value);

// Reads records from a CSV text that must outlive the reader.
class CsvReader {
 public:
  explicit CsvReader(std::string_view data) : data_(data) {}
  // Numbers lines from `first_line` in its errors: for a caller that reads one record cut from a larger text.
  CsvReader(std::string_view data, size_t first_line) : data_(data), line_(first_line) {}

  // Reads the next record into *fields (cleared first). Returns true when a record was read, false at the end
  // of the input, or an InvalidArgument naming the line on malformed quoting.
  Result<bool> Next(std::vector<std::string>* fields);
  // 1-based line number where the next record starts.
  size_t line() const { return line_; }
  // Byte offset where the next record starts (data.size() at the end).
  size_t position() const { return pos_; }

 private:
  friend bool SplitCsvRecord(std::string_view, std::vector<std::string>*, std::string*);
  // Next without the position: false with *reason and *error_line set on malformed quoting.
  bool Read(std::vector<std::string>* fields, bool* got, std::string* reason, size_t* error_line);

  std::string_view data_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

// The end of the record that starts at data[start]: the index of the '\n' that ends it, or data.size(). A
// '\n' inside a quoted field does not end it, and only a quote that opens a field starts quoting, so a stray
// quote inside a bare field (a malformed record) cannot swallow the records after it: for readers that
// report a malformed record and carry on with the next (the `cleaned` table's loader).
size_t CsvRecordEnd(std::string_view data, size_t start);

// Splits one record's text (without its line end, e.g. cut by CsvRecordEnd) into *fields by the rules above.
// False on malformed quoting or a bare "\r" inside the record, with *reason saying which and no position (the
// caller knows where the record is), e.g. "quote inside an unquoted field".
bool SplitCsvRecord(std::string_view record, std::vector<std::string>* fields, std::string* reason);

// Parses exactly one record ("a,b\n", the trailing line end optional). Empty input is an error.
Result<std::vector<std::string>> ParseCsvRecord(std::string_view line);

// Parses the numeric field of a CSV (the whole field must be a finite number).
Result<double> ParseCsvNumber(std::string_view field);

// The nine fields of a cleaned record (schema order, see beer/schema.h) back into a CleanedBeer. Checks the
// count, id >= 1, non-empty name, and that each measure is empty (null) or a number; errors name the column.
Result<CleanedBeer> CleanedBeerFromCsvFields(const std::vector<std::string>& fields);
// ParseCsvRecord + CleanedBeerFromCsvFields.
Result<CleanedBeer> CleanedBeerFromCsvLine(std::string_view line);

}  // namespace brewline::beer
