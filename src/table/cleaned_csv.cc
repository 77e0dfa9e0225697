#include "table/cleaned_csv.h"

#include <charconv>
#include <cmath>

#include "beer/schema.h"

namespace brewline::table {
namespace {

constexpr size_t kColumns = beer::kCleanedColumns.size();

// Returns the end of the record starting at `start` (the index of its terminating '\n', or body.size()):
// a '\n' inside a quoted field does not end the record. Only a quote that opens a field starts quoting, so a
// stray quote inside a bare field (a malformed record) cannot swallow the records after it.
size_t RecordEnd(std::string_view body, size_t start) {
  bool quoted = false;
  bool field_start = true;
  for (size_t i = start; i < body.size(); ++i) {
    char c = body[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < body.size() && body[i + 1] == '"') {
          ++i;  // "" is an escaped quote
        } else {
          quoted = false;
        }
      }
      continue;
    }
    if (c == '\n') return i;
    if (c == '"' && field_start) quoted = true;
    field_start = c == ',';
  }
  return body.size();
}

std::string Shorten(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return std::string(s);
  return std::string(s.substr(0, kMax)) + "...";
}

}  // namespace

CleanedCsvReader::CleanedCsvReader(std::string_view body) : body_(body), fields_(kColumns + 1) {}

bool CleanedCsvReader::Next(CsvRecord* rec) {
  if (pos_ >= body_.size()) return false;
  size_t end = RecordEnd(body_, pos_);
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
  if (!SplitFields(raw, &rec->error)) return true;
  rec->ok = Convert(rec);
  return true;
}

bool CleanedCsvReader::SplitFields(std::string_view raw, std::string* error) {
  field_count_ = 0;
  size_t i = 0;
  for (;;) {
    if (field_count_ == fields_.size()) {
      // Count the remaining fields only for the message.
      size_t extra = 1;
      bool quoted = false;
      for (size_t j = i; j < raw.size(); ++j) {
        if (raw[j] == '"') quoted = !quoted;
        if (raw[j] == ',' && !quoted) ++extra;
      }
      *error = "expected " + std::to_string(kColumns) + " fields, got " + std::to_string(field_count_ + extra - 1);
      return false;
    }
    std::string& f = fields_[field_count_++];
    f.clear();
    if (i < raw.size() && raw[i] == '"') {
      ++i;
      for (;;) {
        if (i >= raw.size()) {
          *error = "unterminated quoted field " + std::to_string(field_count_);
          return false;
        }
        char c = raw[i++];
        if (c == '"') {
          if (i < raw.size() && raw[i] == '"') {
            f += '"';
            ++i;
            continue;
          }
          break;
        }
        f += c;
      }
      if (i < raw.size() && raw[i] != ',') {
        *error = "unexpected text after quoted field " + std::to_string(field_count_);
        return false;
      }
    } else {
      size_t start = i;
      while (i < raw.size() && raw[i] != ',') {
        if (raw[i] == '"') {
          *error = "quote inside unquoted field " + std::to_string(field_count_);
          return false;
        }
        ++i;
      }
      f.assign(raw.substr(start, i - start));
    }
    if (i >= raw.size()) break;
    ++i;  // the ','
  }
  if (field_count_ != kColumns) {
    *error = "expected " + std::to_string(kColumns) + " fields, got " + std::to_string(field_count_);
    return false;
  }
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
