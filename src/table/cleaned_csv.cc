#include "table/cleaned_csv.h"

#include <charconv>
#include <cmath>

#include "beer/csv.h"
#include "beer/schema.h"

namespace brewline::table {
namespace {

constexpr size_t kColumns = beer::kCleanedColumns.size();

std::string Shorten(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  return std::string(s.substr(0, kMax)) + "...";
}

}  // namespace

CleanedCsvReader::CleanedCsvReader(std::string_view body) : body_(body) {}

// Records are cut with beer::CsvRecordEnd (a malformed one cannot swallow the next) and split by beer's CSV
// reader, so the `cleaned` bucket is read by the same rules it is written with.
bool CleanedCsvReader::Next(CsvRecord* rec) {
  if (pos_ >= body_.size()) return false;
  size_t end = beer::CsvRecordEnd(body_, pos_);
  std::string_view raw = body_.substr(pos_, end - pos_);
  pos_ = end + 1;  // past the '\n' (or past the end)
  if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  rec->line = ++line_;
  rec->raw = raw;
  rec->ok = false;
  rec->error.clear();
  if (raw.empty()) {
    rec->error = "empty line";
    return true;
  }
  if (!beer::SplitCsvRecord(raw, &fields_, &rec->error)) return true;
  if (fields_.size() != kColumns) {
    rec->error = "expected " + std::to_string(kColumns) + " fields, got " + std::to_string(fields_.size());
    return true;
  }
  rec->ok = Convert(rec);
  return true;
}

bool CleanedCsvReader::Convert(CsvRecord* rec) {
  rec->values.resize(kColumns);
  for (size_t c = 0; c < kColumns; ++c) {
    const beer::Column& col = beer::kCleanedColumns[c];
    const std::string& f = fields_[c];
    CsvValue& v = rec->values[c];
    v = CsvValue{};
    if (f.empty() && col.type != beer::ColumnType::kText) {
      if (!col.nullable) {
        rec->error = "column '" + std::string(col.name) + "': empty value in a NOT NULL column";
        return false;
      }
      continue;  // NULL
    }
    v.is_null = false;
    const char* first = f.data();
    const char* last = f.data() + f.size();
    switch (col.type) {
      case beer::ColumnType::kInteger: {
        auto [p, ec] = std::from_chars(first, last, v.i);
        if (ec != std::errc() || p != last) {
          rec->error = "column '" + std::string(col.name) + "': not an integer: \"" + Shorten(f) + "\"";
          return false;
        }
        if (col.name == "id" && v.i < 1) {  // the schema's contract: Punk API ids are >= 1
          rec->error = "column 'id': must be >= 1, got " + f;
          return false;
        }
        break;
      }
      case beer::ColumnType::kReal: {
        auto [p, ec] = std::from_chars(first, last, v.d);
        if (ec != std::errc() || p != last || !std::isfinite(v.d)) {
          rec->error = "column '" + std::string(col.name) + "': not a number: \"" + Shorten(f) + "\"";
          return false;
        }
        break;
      }
      case beer::ColumnType::kText:
        if (f.empty() && !col.nullable) {
          rec->error = "column '" + std::string(col.name) + "': empty value in a NOT NULL column";
          return false;
        }
        if (f.empty()) v.is_null = true;
        v.text = f;
        break;
    }
  }
  return true;
}

}  // namespace brewline::table
