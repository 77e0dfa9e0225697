#include "punkapi/query.h"

#include <charconv>
#include <cmath>

#include "common/json_escape.h"

namespace brewline::punkapi {

namespace {

constexpr const char* kNumberMsg = "Must be a number greater than 0";
constexpr const char* kPerPageMsg = "Must be a number greater than 0 and less than 80";
constexpr const char* kDateMsg = "Must be in date format of mm-yyyy";
constexpr const char* kIdsMsg = "Must be whole numbers greater than 0 separated by |";

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<int64_t> ParseIntInRange(std::string_view s, int64_t min, int64_t max) {
  if (!AllDigits(s) || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  if (v < min || v > max) return std::nullopt;
  return v;
}

// A plain non-negative decimal ("5", "4.5", ".5" is rejected): what a person types in a URL.
std::optional<double> ParseNonNegative(std::string_view s) {
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (!AllDigits(whole)) return std::nullopt;
  if (dot != std::string_view::npos && !AllDigits(s.substr(dot + 1))) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// "mm-yyyy" → months.
std::optional<int> ParseMonthYear(std::string_view s) {
  if (s.size() != 7 || s[2] != '-' || !AllDigits(s.substr(0, 2)) || !AllDigits(s.substr(3))) return std::nullopt;
  int m = (s[0] - '0') * 10 + (s[1] - '0');
  int y = 0;
  std::from_chars(s.data() + 3, s.data() + 7, y);
  if (m < 1 || m > 12) return std::nullopt;
  return y * 12 + (m - 1);
}

std::string TextPredicate(std::string_view s) {
  std::string out = AsciiLower(s);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

bool AnyContains(const std::vector<std::string>& list, const std::string& needle) {
  for (const std::string& s : list) {
    if (Contains(s, needle)) return true;
  }
  return false;
}

// Null measures match no numeric filter (the original's `null < n` made ibu_lt match null IBUs).
bool Gt(const std::optional<double>& v, const std::optional<double>& bound) { return !bound || (v && *v > *bound); }
bool Lt(const std::optional<double>& v, const std::optional<double>& bound) { return !bound || (v && *v < *bound); }

}  // namespace

bool BeerQuery::Matches(const DatasetBeer& b) const {
  const beer::CleanedBeer& c = b.cleaned;
  if (!Gt(c.abv, abv_gt) || !Lt(c.abv, abv_lt) || !Gt(c.ibu, ibu_gt) || !Lt(c.ibu, ibu_lt) || !Gt(c.ebc, ebc_gt) ||
      !Lt(c.ebc, ebc_lt)) {
    return false;
  }
  if (beer_name && !Contains(b.name_lower, *beer_name)) return false;
  if (yeast && !Contains(b.yeast_lower, *yeast)) return false;
  if (hops && !AnyContains(b.hops_lower, *hops)) return false;
  if (malt && !AnyContains(b.malt_lower, *malt)) return false;
  if (food && !AnyContains(b.food_lower, *food)) return false;
  if (brewed_before && (b.brewed_months < 0 || b.brewed_months >= *brewed_before)) return false;
  if (brewed_after && (b.brewed_months < 0 || b.brewed_months <= *brewed_after)) return false;
  if (ids && !ids->count(c.id)) return false;
  return true;
}

Result<BeerQuery> ParseBeerQuery(const QueryParams& params, std::vector<ParamError>* errors) {
  errors->clear();
  BeerQuery q;
  auto get = [&](const char* name) -> std::optional<std::string> {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return std::nullopt;
    return it->second;
  };
  auto fail = [&](const char* name, const char* msg, const std::string& value) {
    errors->push_back({"query", name, msg, value});
  };
  if (auto v = get("page")) {
    if (auto n = ParseIntInRange(*v, 1, 1000000000)) q.page = int(*n); else fail("page", kNumberMsg, *v);
  }
  if (auto v = get("per_page")) {
    if (auto n = ParseIntInRange(*v, 1, 80)) q.per_page = int(*n); else fail("per_page", kPerPageMsg, *v);
  }
  struct NumberParam {
    const char* name;
    std::optional<double> BeerQuery::*field;
  };
  for (NumberParam p : {NumberParam{"abv_gt", &BeerQuery::abv_gt}, NumberParam{"abv_lt", &BeerQuery::abv_lt},
                        NumberParam{"ibu_gt", &BeerQuery::ibu_gt}, NumberParam{"ibu_lt", &BeerQuery::ibu_lt},
                        NumberParam{"ebc_gt", &BeerQuery::ebc_gt}, NumberParam{"ebc_lt", &BeerQuery::ebc_lt}}) {
    if (auto v = get(p.name)) {
      if (auto d = ParseNonNegative(*v)) q.*p.field = *d; else fail(p.name, kNumberMsg, *v);
    }
  }
  if (auto v = get("brewed_before")) {
    if (auto m = ParseMonthYear(*v)) q.brewed_before = *m; else fail("brewed_before", kDateMsg, *v);
  }
  if (auto v = get("brewed_after")) {
    if (auto m = ParseMonthYear(*v)) q.brewed_after = *m; else fail("brewed_after", kDateMsg, *v);
  }
  if (auto v = get("beer_name")) q.beer_name = TextPredicate(*v);
  if (auto v = get("yeast")) q.yeast = TextPredicate(*v);
  if (auto v = get("hops")) q.hops = TextPredicate(*v);
  if (auto v = get("malt")) q.malt = TextPredicate(*v);
  if (auto v = get("food")) q.food = TextPredicate(*v);
  if (auto v = get("ids")) {
    std::set<int64_t> ids;
    bool ok = true;
    std::string_view rest = *v;
    while (ok) {
      size_t bar = rest.find('|');
      auto id = ParseBeerId(rest.substr(0, bar));
      if (!id) ok = false; else ids.insert(*id);
      if (bar == std::string_view::npos) break;
      rest = rest.substr(bar + 1);
    }
    if (ok) q.ids = std::move(ids); else fail("ids", kIdsMsg, *v);
  }
  if (!errors->empty()) return InvalidArgument("Invalid query params");
  return q;
}

std::vector<const DatasetBeer*> RunQuery(const Dataset& dataset, const BeerQuery& query) {
  std::vector<const DatasetBeer*> out;
  const int64_t skip = int64_t(query.page - 1) * query.per_page;
  int64_t matched = 0;
  for (const DatasetBeer& b : dataset.beers()) {
    if (!query.Matches(b)) continue;
    if (matched++ < skip) continue;
    out.push_back(&b);
    if (int64_t(out.size()) == query.per_page) break;
  }
  return out;
}

std::optional<int64_t> ParseBeerId(std::string_view text) {
  return ParseIntInRange(text, 1, INT64_C(999999999999999999));
}

std::string ErrorBody(int status, std::string_view error, std::string_view message) {
  std::string out = "{\"statusCode\":" + std::to_string(status) + ",\"error\":";
  AppendJsonString(&out, error);
  out += ",\"message\":";
  AppendJsonString(&out, message);
  out += '}';
  return out;
}

std::string BadRequestBody(const std::vector<ParamError>& errors) {
  std::string out = ErrorBody(400, "Bad Request", "Invalid query params");
  out.pop_back();
  out += ",\"data\":[";
  for (size_t i = 0; i < errors.size(); ++i) {
    const ParamError& e = errors[i];
    if (i) out += ',';
    out += "{\"location\":";
    AppendJsonString(&out, e.location);
    out += ",\"param\":";
    AppendJsonString(&out, e.param);
    out += ",\"msg\":";
    AppendJsonString(&out, e.msg);
    out += ",\"value\":";
    AppendJsonString(&out, e.value);
    out += '}';
  }
  out += "]}";
  return out;
}

std::string NotFoundBody(std::string_view message) { return ErrorBody(404, "Not Found", message); }

std::string TooManyRequestsBody() {
  return ErrorBody(429, "Too Many Requests", "You have reached your limit on this ip address please wait an hour");
}

}  // namespace brewline::punkapi
