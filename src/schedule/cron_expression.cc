#include "schedule/cron_expression.h"

#include <cctype>

#include "common/time_util.h"

namespace brewline::schedule {
namespace {

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // names[i] spells value min + i; nullptr when the field has none
  int name_count;
  bool day_of_month;
  bool day_of_week;
};

constexpr FieldSpec kFields[6] = {
    {"minutes", 0, 59, nullptr, 0, false, false},
    {"hours", 0, 23, nullptr, 0, false, false},
    {"day-of-month", 1, 31, nullptr, 0, true, false},
    {"month", 1, 12, kMonthNames, 12, false, false},
    {"day-of-week", 1, 7, kDayNames, 7, false, true},
    {"year", 1970, 2199, nullptr, 0, false, false},
};

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

// Parses one expression; positions in errors are 1-based columns of `text_`.
class CronParser {
 public:
  explicit CronParser(std::string_view text) : text_(text) {}

  Result<CronExpression> Parse() {
    constexpr std::string_view kOpen = "cron(";
    if (text_.substr(0, kOpen.size()) != kOpen) return Error(0, "a cron expression starts with 'cron('");
    if (text_.size() <= kOpen.size() || text_.back() != ')') {
      return Error(text_.size(), "a cron expression ends with ')'");
    }
    const size_t body_end = text_.size() - 1;
    // Split the body into whitespace-separated fields, remembering where each starts.
    std::vector<std::pair<size_t, size_t>> fields;
    size_t i = kOpen.size();
    while (i < body_end) {
      while (i < body_end && text_[i] == ' ') ++i;
      if (i >= body_end) break;
      size_t b = i;
      while (i < body_end && text_[i] != ' ') ++i;
      fields.emplace_back(b, i);
    }
    if (fields.size() != 6) {
      size_t pos = fields.size() > 6 ? fields[6].first : body_end;
      return Error(pos, "expected 6 fields (minutes hours day-of-month month day-of-week year), got " +
                            std::to_string(fields.size()));
    }
    CronExpression out;
    std::vector<bool>* sets[6] = {&out.minutes_, &out.hours_, &out.dom_, &out.months_, &out.dow_, &out.years_};
    bool question[6] = {};
    for (int f = 0; f < 6; ++f) {
      const FieldSpec& spec = kFields[f];
      sets[f]->assign(static_cast<size_t>(spec.max - spec.min + 1), false);
      RETURN_IF_ERROR(ParseField(spec, fields[f].first, fields[f].second, sets[f], &out, &question[f]));
    }
    if (question[2] == question[4]) {
      return Error(fields[question[2] ? 4 : 2].first,
                   "exactly one of day-of-month and day-of-week must be '?'");
    }
    out.dom_any_ = question[2];
    return out;
  }

 private:
  Status Error(size_t index, const std::string& reason) const {
    return InvalidArgument("invalid schedule expression '" + std::string(text_) + "' at position " +
                           std::to_string(index + 1) + ": " + reason);
  }

  Status ParseField(const FieldSpec& spec, size_t b, size_t e, std::vector<bool>* set, CronExpression* out,
                    bool* question) {
    std::string_view field = text_.substr(b, e - b);
    if (field == "?") {
      if (!spec.day_of_month && !spec.day_of_week) {
        return Error(b, "'?' is only allowed in day-of-month or day-of-week");
      }
      *question = true;
      return Status::OK();
    }
    size_t item_begin = b;
    for (size_t i = b; i <= e; ++i) {
      if (i == e || text_[i] == ',') {
        if (i == item_begin) return Error(i, std::string("empty item in ") + spec.name);
        RETURN_IF_ERROR(ParseItem(spec, item_begin, i, set, out));
        item_begin = i + 1;
      }
    }
    return Status::OK();
  }

  Status ParseItem(const FieldSpec& spec, size_t b, size_t e, std::vector<bool>* set, CronExpression* out) {
    std::string item = Upper(text_.substr(b, e - b));
    if (item == "?") return Error(b, "'?' must be the whole field");
    // Specials first: L, L-n, LW, nW (day-of-month); L, nL, n#k (day-of-week).
    if (item.find('#') != std::string::npos) {
      if (!spec.day_of_week) return Error(b + item.find('#'), "'#' is only allowed in day-of-week");
      size_t h = item.find('#');
      ASSIGN_OR_RETURN(int day, ParseValue(spec, b, b + h));
      std::string_view k = std::string_view(item).substr(h + 1);
      if (!IsDigits(k) || k.size() > 1 || k[0] < '1' || k[0] > '5') {
        return Error(b + h + 1, "the occurrence after '#' must be 1-5");
      }
      out->nth_dow_.emplace_back(day, k[0] - '0');
      return Status::OK();
    }
    // Month names may contain 'L' (JUL); no day name does, so 'L' elsewhere is always the wildcard.
    if (item.find('L') != std::string::npos && spec.names != kMonthNames) {
      if (spec.day_of_month) {
        if (item == "L") {
          out->last_day_offsets_.push_back(0);
          return Status::OK();
        }
        if (item == "LW") {
          out->last_weekday_ = true;
          return Status::OK();
        }
        if (item.rfind("L-", 0) == 0) {
          std::string_view n = std::string_view(item).substr(2);
          if (!IsDigits(n) || n.size() > 2 || std::stoi(std::string(n)) < 1 || std::stoi(std::string(n)) > 30) {
            return Error(b + 2, "the offset after 'L-' must be 1-30");
          }
          out->last_day_offsets_.push_back(std::stoi(std::string(n)));
          return Status::OK();
        }
        return Error(b + item.find('L'), "day-of-month allows 'L', 'L-n' or 'LW' here");
      }
      if (spec.day_of_week) {
        if (item == "L") {
          (*set)[7 - spec.min] = true;  // the last day of the week: Saturday
          return Status::OK();
        }
        if (item.back() == 'L') {
          ASSIGN_OR_RETURN(int day, ParseValue(spec, b, e - 1));
          out->last_dow_.push_back(day);
          return Status::OK();
        }
        return Error(b + item.find('L'), "day-of-week allows 'L' or 'nL' (last day n of the month) here");
      }
      return Error(b + item.find('L'), "'L' is only allowed in day-of-month or day-of-week");
    }
    if (item.back() == 'W') {  // no month or day name ends in W
      if (!spec.day_of_month) return Error(e - 1, "'W' is only allowed in day-of-month");
      ASSIGN_OR_RETURN(int day, ParseValue(spec, b, e - 1));
      out->nearest_weekday_.push_back(day);
      return Status::OK();
    }
    // a | * | a-b, each optionally /step.
    size_t slash = item.find('/');
    size_t range_end = slash == std::string::npos ? item.size() : slash;
    int lo = spec.min;
    int hi = spec.max;
    if (item.substr(0, range_end) == "*") {
      // the whole range
    } else {
      size_t dash = item.find('-');
      if (dash != std::string::npos && dash < range_end) {
        ASSIGN_OR_RETURN(lo, ParseValue(spec, b, b + dash));
        ASSIGN_OR_RETURN(hi, ParseValue(spec, b + dash + 1, b + range_end));
        if (lo > hi) {
          return Error(b, "range start " + std::to_string(lo) + " is greater than its end " + std::to_string(hi) +
                              " (ranges do not wrap)");
        }
      } else {
        ASSIGN_OR_RETURN(lo, ParseValue(spec, b, b + range_end));
        hi = slash == std::string::npos ? lo : spec.max;  // "a/s" runs to the field's maximum
      }
    }
    int step = 1;
    if (slash != std::string::npos) {
      std::string_view s = std::string_view(item).substr(slash + 1);
      if (!IsDigits(s) || s.size() > 4 || std::stoi(std::string(s)) < 1) {
        return Error(b + slash + 1, "the step after '/' must be a positive integer");
      }
      step = std::stoi(std::string(s));
    }
    for (int v = lo; v <= hi; v += step) (*set)[static_cast<size_t>(v - spec.min)] = true;
    return Status::OK();
  }

  // One value: a number or (month, day-of-week) a three-letter name, within the field's range.
  Result<int> ParseValue(const FieldSpec& spec, size_t b, size_t e) const {
    std::string_view raw = text_.substr(b, e - b);
    if (raw.empty()) return Error(b, std::string("missing value in ") + spec.name);
    if (IsDigits(raw)) {
      if (raw.size() > 4) return Error(b, std::string(spec.name) + " value " + std::string(raw) + " is out of range");
      int v = std::stoi(std::string(raw));
      if (v < spec.min || v > spec.max) {
        return Error(b, std::string(spec.name) + " value " + std::to_string(v) + " is out of range " +
                            std::to_string(spec.min) + "-" + std::to_string(spec.max));
      }
      return v;
    }
    if (spec.names != nullptr) {
      std::string up = Upper(raw);
      for (int i = 0; i < spec.name_count; ++i) {
        if (up == spec.names[i]) return spec.min + i;
      }
      if (std::isalpha(static_cast<unsigned char>(raw[0]))) {
        return Error(b, std::string("unknown ") + spec.name + " name '" + std::string(raw) + "'");
      }
    }
    for (size_t i = 0; i < raw.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(raw[i]))) {
        return Error(b + i, std::string("unexpected character '") + raw[i] + "' in " + spec.name);
      }
    }
    return Error(b, std::string("invalid ") + spec.name + " value");
  }

  std::string_view text_;
};

Result<CronExpression> CronExpression::Parse(std::string_view text) { return CronParser(text).Parse(); }

std::vector<bool> CronExpression::MatchingDays(int year, int month) const {
  const int dim = DaysInMonth(year, month);
  std::vector<bool> days(32, false);
  const int first_wd = ToUtc(FromUtc(year, month, 1)).weekday;  // 0 = Sunday
  auto weekday = [&](int d) { return (first_wd + d - 1) % 7; };
  if (!dom_any_) {
    for (int d = 1; d <= dim; ++d) days[d] = dom_[d - 1];
    for (int off : last_day_offsets_) {
      if (dim - off >= 1) days[dim - off] = true;
    }
    if (last_weekday_) {
      int d = dim;
      while (weekday(d) == 0 || weekday(d) == 6) --d;
      days[d] = true;
    }
    for (int n : nearest_weekday_) {
      if (n > dim) continue;  // e.g. 31W in a 30-day month: no fire that month
      int wd = weekday(n);
      int d = n;
      if (wd == 6) d = (n == 1) ? 3 : n - 1;          // Saturday → Friday, unless that leaves the month
      if (wd == 0) d = (n == dim) ? n - 2 : n + 1;    // Sunday → Monday, unless that leaves the month
      days[d] = true;
    }
    return days;
  }
  for (int d = 1; d <= dim; ++d) days[d] = dow_[weekday(d)];
  for (int n : last_dow_) {
    int d = dim;
    while (weekday(d) != n - 1) --d;
    days[d] = true;
  }
  for (auto [n, k] : nth_dow_) {
    int d = 1 + ((n - 1 - first_wd) + 7) % 7 + 7 * (k - 1);
    if (d <= dim) days[d] = true;
  }
  return days;
}

std::optional<int64_t> CronExpression::NextFireTime(int64_t after_ms) const {
  int64_t minute = after_ms / 60000 - ((after_ms % 60000 != 0) && after_ms < 0 ? 1 : 0);
  const UtcTime t = ToUtc((minute + 1) * 60000);
  // Walk year → month → day → hour → minute; a level starts at t's value only while every level above
  // still equals t, otherwise at its minimum.
  for (int y = std::max(t.year, 1970); y <= 2199; ++y) {
    if (!years_[y - 1970]) continue;
    const bool same_y = y == t.year;
    for (int m = same_y ? t.month : 1; m <= 12; ++m) {
      if (!months_[m - 1]) continue;
      const bool same_m = same_y && m == t.month;
      const std::vector<bool> days = MatchingDays(y, m);
      for (int d = same_m ? t.day : 1; d <= 31; ++d) {
        if (!days[d]) continue;
        const bool same_d = same_m && d == t.day;
        for (int h = same_d ? t.hour : 0; h < 24; ++h) {
          if (!hours_[h]) continue;
          const bool same_h = same_d && h == t.hour;
          for (int mi = same_h ? t.minute : 0; mi < 60; ++mi) {
            if (minutes_[mi]) return FromUtc(y, m, d, h, mi);
          }
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace brewline::schedule
