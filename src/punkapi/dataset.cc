#include "punkapi/dataset.h"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <climits>

#include "beer/json_array.h"

namespace brewline::punkapi {

namespace {

constexpr std::string_view kDatasetRelPath = ".cache/npm/node_modules/punkapi-db/data.json";

// "04/2013" → 2013*12+3; "2013" → 2013*12; anything else → -1.
int ParseFirstBrewed(std::string_view s) {
  auto digits = [](std::string_view d) {
    if (d.empty()) return -1;
    int v = 0;
    for (char c : d) {
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  if (s.size() == 7 && s[2] == '/') {
    int m = digits(s.substr(0, 2)), y = digits(s.substr(3));
    if (m < 1 || m > 12 || y < 0) return -1;
    return y * 12 + (m - 1);
  }
  if (s.size() == 4) {
    int y = digits(s);
    return y < 0 ? -1 : y * 12;
  }
  return -1;
}

// Collects element["name"] of an array of objects, lower-cased; tolerant of any other shape (the filters are
// best-effort; only the cleaned fields are validated strictly).
void CollectNames(simdjson::dom::element parent, const char* key, std::vector<std::string>* out) {
  simdjson::dom::array arr;
  if (parent[key].get(arr) != simdjson::SUCCESS) return;
  for (simdjson::dom::element e : arr) {
    std::string_view name;
    if (e["name"].get(name) == simdjson::SUCCESS) out->push_back(AsciiLower(name));
  }
}

void ExtractFilterKeys(simdjson::dom::element beer, DatasetBeer* out) {
  out->name_lower = AsciiLower(out->cleaned.name);
  std::string_view text;
  if (beer["first_brewed"].get(text) == simdjson::SUCCESS) out->brewed_months = ParseFirstBrewed(text);
  simdjson::dom::element ingredients;
  if (beer["ingredients"].get(ingredients) == simdjson::SUCCESS) {
    if (ingredients["yeast"].get(text) == simdjson::SUCCESS) out->yeast_lower = AsciiLower(text);
    CollectNames(ingredients, "hops", &out->hops_lower);
    CollectNames(ingredients, "malt", &out->malt_lower);
  }
  simdjson::dom::array food;
  if (beer["food_pairing"].get(food) == simdjson::SUCCESS) {
    for (simdjson::dom::element f : food) {
      if (f.get(text) == simdjson::SUCCESS) out->food_lower.push_back(AsciiLower(text));
    }
  }
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
  }
  return out;
}

Result<Dataset> Dataset::Parse(std::string_view json, std::string_view source) {
  const std::string where(source);
  auto spans = beer::SplitJsonArray(json);
  if (!spans.ok()) return InvalidArgument(where + ": " + spans.status().message());
  if (spans->empty()) return InvalidArgument(where + ": the dataset has no beers");
  Dataset ds;
  ds.beers_.reserve(spans->size());
  beer::BeerParser parser;
  simdjson::dom::parser dom;
  for (size_t i = 0; i < spans->size(); ++i) {
    const beer::JsonElementSpan& span = (*spans)[i];
    auto located = [&](const std::string& msg) {
      beer::TextPosition p = beer::PositionOf(json, span.offset);
      return InvalidArgument(where + ": beer #" + std::to_string(i) + " (line " + std::to_string(p.line) +
                             ", column " + std::to_string(p.column) + "): " + msg);
    };
    auto cleaned = parser.Parse(span.text);
    if (!cleaned.ok()) return located(cleaned.status().message());
    DatasetBeer b;
    b.cleaned = std::move(cleaned).value();
    b.json.assign(span.text);
    simdjson::dom::element root;
    if (dom.parse(span.text.data(), span.text.size()).get(root) != simdjson::SUCCESS) {
      return located("unparseable beer");  // cannot happen after BeerParser accepted it
    }
    ExtractFilterKeys(root, &b);
    ds.beers_.push_back(std::move(b));
  }
  std::stable_sort(ds.beers_.begin(), ds.beers_.end(),
                   [](const DatasetBeer& a, const DatasetBeer& b) { return a.cleaned.id < b.cleaned.id; });
  for (size_t i = 1; i < ds.beers_.size(); ++i) {
    if (ds.beers_[i].cleaned.id == ds.beers_[i - 1].cleaned.id) {
      return InvalidArgument(where + ": duplicate beer id " + std::to_string(ds.beers_[i].cleaned.id));
    }
  }
  return ds;
}

Result<Dataset> Dataset::Load(FileSystem& fs, const std::string& path) {
  auto text = fs.ReadFile(path);
  if (!text.ok()) {
    return Status(text.status().code(), "cannot read Punk API dataset " + path + ": " + text.status().message());
  }
  return Parse(*text, path);
}

const DatasetBeer* Dataset::Find(int64_t id) const {
  auto it = std::lower_bound(beers_.begin(), beers_.end(), id,
                             [](const DatasetBeer& b, int64_t v) { return b.cleaned.id < v; });
  return it != beers_.end() && it->cleaned.id == id ? &*it : nullptr;
}

Result<std::string> FindDefaultDatasetPath(FileSystem& fs) {
  std::vector<std::string> starts;
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) starts.push_back(DirName(std::string(buf, size_t(n))));
  if (::getcwd(buf, sizeof buf) != nullptr) starts.emplace_back(buf);
  for (std::string dir : starts) {
    while (true) {
      std::string candidate = JoinPath(dir, kDatasetRelPath);
      if (fs.Exists(candidate)) return candidate;
      if (dir == "/" || dir == "." || dir.empty()) break;
      dir = DirName(dir);
    }
  }
  return NotFound("the punkapi-db dataset (" + std::string(kDatasetRelPath) +
                  ") was not found above the brewline executable or the working directory; run "
                  "scripts/install-deps.sh or pass --data FILE");
}

}  // namespace brewline::punkapi
