#include "beer/csv.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "beer/schema.h"

namespace brewline::beer {

bool CsvNeedsQuoting(std::string_view text) { return text.find_first_of(",\"\r\n") != std::string_view::npos; }

void AppendCsvText(std::string* out, std::string_view text) {
  if (!CsvNeedsQuoting(text)) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendCsvInteger(std::string* out, int64_t value) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 24 bytes always suffice for int64
  out->append(buf, end);
}

void AppendCsvNumber(std::string* out, double value) {
  if (!std::isfinite(value)) return;
  // Integral values (most measures: IBU 70, gravity 1015) without the general shortest-form search. to_chars
  // writes the shorter of fixed and scientific notation, fixed on a tie: an integer of n digits with s
  // significant ones is fixed unless "d.ddde+XX" (s + 5 characters, or 5 when s is 1) is shorter — then, and
  // for -0 and magnitudes from 1e15 on, the general path answers (tests/beer/csv_test.cc checks the two agree).
  if (value == std::trunc(value) && std::fabs(value) < 1e15 && !(value == 0 && std::signbit(value))) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<int64_t>(value));
    (void)ec;
    const char* digits = buf[0] == '-' ? buf + 1 : buf;
    const size_t n = static_cast<size_t>(end - digits);
    size_t significant = n;
    while (significant > 1 && digits[significant - 1] == '0') --significant;
    const size_t scientific = (significant == 1 ? 1 : significant + 1) + 4;
    if (n <= scientific) {
      out->append(buf, end);
      return;
    }
  }
  // Plain to_chars picks the shortest round-trip spelling and writes integral values without ".0".
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 32 bytes always suffice for the shortest form of a double
  out->append(buf, end);
}

void AppendCsvNumber(std::string* out, const std::optional<double>& value) {
  if (value) AppendCsvNumber(out, *value);
}

Result<bool> CsvReader::Next(std::vector<std::string>* fields) {
  bool got = false;
  std::string reason;
  size_t error_line = 0;
  if (!Read(fields, &got, &reason, &error_line)) {
    return InvalidArgument("csv line " + std::to_string(error_line) + ": " + reason);
  }
  return got;
}

bool CsvReader::Read(std::vector<std::string>* fields, bool* got, std::string* reason, size_t* error_line) {
  fields->clear();
  *got = false;
  // Skip completely empty lines.
  while (pos_ < data_.size() && (data_[pos_] == '\n' || data_[pos_] == '\r')) {
    if (data_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= data_.size()) return true;
  const size_t start_line = line_;
  std::string field;
  while (true) {
    field.clear();
    if (pos_ < data_.size() && data_[pos_] == '"') {
      ++pos_;
      bool closed = false;
      while (pos_ < data_.size()) {
        char c = data_[pos_++];
        if (c == '"') {
          if (pos_ < data_.size() && data_[pos_] == '"') {
            field.push_back('"');
            ++pos_;
          } else {
            closed = true;
            break;
          }
        } else {
          if (c == '\n') ++line_;
          field.push_back(c);
        }
      }
      if (!closed) {
        *reason = "unterminated quoted field";
        *error_line = start_line;
        return false;
      }
      if (pos_ < data_.size() && data_[pos_] != ',' && data_[pos_] != '\n' && data_[pos_] != '\r') {
        *reason = "unexpected character after closing quote";
        *error_line = line_;
        return false;
      }
    } else {
      size_t end = data_.find_first_of(",\n\r\"", pos_);
      if (end == std::string_view::npos) end = data_.size();
      if (end < data_.size() && data_[end] == '"') {
        *reason = "quote inside an unquoted field";
        *error_line = line_;
        return false;
      }
      field.assign(data_.substr(pos_, end - pos_));
      pos_ = end;
    }
    fields->push_back(field);
    *got = true;
    if (pos_ >= data_.size()) return true;
    char sep = data_[pos_++];
    if (sep == ',') continue;
    if (sep == '\r') {
      if (pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
    }
    ++line_;
    return true;
  }
}

bool SplitCsvRecord(std::string_view record, std::vector<std::string>* fields, std::string* reason) {
  CsvReader reader(record);
  bool got = false;
  size_t error_line = 0;
  if (!reader.Read(fields, &got, reason, &error_line)) return false;
  if (reader.position() < record.size()) {
    *reason = "line end inside an unquoted field";
    return false;
  }
  return true;
}

size_t CsvRecordEnd(std::string_view data, size_t start) {
  bool quoted = false;
  bool field_start = true;
  for (size_t i = start; i < data.size(); ++i) {
    char c = data[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < data.size() && data[i + 1] == '"') {
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
  return data.size();
}

Result<std::vector<std::string>> ParseCsvRecord(std::string_view line) {
  CsvReader reader(line);
  std::vector<std::string> fields;
  ASSIGN_OR_RETURN(bool got, reader.Next(&fields));
  if (!got) return InvalidArgument("csv: empty record");
  std::vector<std::string> rest;
  ASSIGN_OR_RETURN(bool more, reader.Next(&rest));
  if (more) return InvalidArgument("csv: more than one record where one was expected");
  return fields;
}

Result<double> ParseCsvNumber(std::string_view field) {
  double v = 0;
  const char* first = field.data();
  const char* last = field.data() + field.size();
  if (first != last && *first == '+') return InvalidArgument("not a number: '" + std::string(field) + "'");
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (field.empty() || ec != std::errc() || ptr != last || !std::isfinite(v)) {
    return InvalidArgument("not a number: '" + std::string(field) + "'");
  }
  return v;
}

Result<CleanedBeer> CleanedBeerFromCsvFields(const std::vector<std::string>& fields) {
  if (fields.size() != kCleanedColumns.size()) {
    return InvalidArgument("csv: expected " + std::to_string(kCleanedColumns.size()) + " fields, got " +
                           std::to_string(fields.size()));
  }
  CleanedBeer beer;
  const std::string& id = fields[0];
  auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), beer.id);
  if (id.empty() || ec != std::errc() || ptr != id.data() + id.size() || beer.id < 1) {
    return InvalidArgument("csv column 'id': expected an integer >= 1, got '" + id + "'");
  }
  if (fields[1].empty()) return InvalidArgument("csv column 'name': empty");
  beer.name = fields[1];
  std::optional<double>* measures[] = {&beer.abv,       &beer.ibu, &beer.target_fg, &beer.target_og,
                                       &beer.ebc,       &beer.srm, &beer.ph};
  for (size_t i = 0; i < 7; ++i) {
    const std::string& f = fields[i + 2];
    if (f.empty()) continue;
    Result<double> v = ParseCsvNumber(f);
    if (!v.ok()) {
      return InvalidArgument("csv column '" + std::string(kCleanedColumns[i + 2].name) + "': " + v.status().message());
    }
    *measures[i] = *v;
  }
  return beer;
}

Result<CleanedBeer> CleanedBeerFromCsvLine(std::string_view line) {
  ASSIGN_OR_RETURN(std::vector<std::string> fields, ParseCsvRecord(line));
  return CleanedBeerFromCsvFields(fields);
}

}  // namespace brewline::beer
