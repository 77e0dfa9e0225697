// Beer parsing: the fast path (beer_fast.cc over JsonScan) answers for valid beers; everything it cannot prove
// valid goes to simdjson's DOM parser here, which validates the whole document (so malformed JSON anywhere in a
// beer, not only in the nine fields we keep, is rejected) and is the one place that words every error.
#include "beer/beer.h"

#include <simdjson.h>

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <limits>

#include "beer/beer_fast.h"
#include "beer/csv.h"

namespace brewline::beer {

namespace {

namespace dom = simdjson::dom;

const char* TypeName(dom::element_type t) {
  switch (t) {
    case dom::element_type::ARRAY:
      return "array";
    case dom::element_type::OBJECT:
      return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      return "number";
    case dom::element_type::STRING:
      return "string";
    case dom::element_type::BOOL:
      return "boolean";
    case dom::element_type::NULL_VALUE:
      return "null";
  }
  return "value";
}

// "string \"x\"", "number 1.5", "array": what the field held, for the error message.
std::string Describe(dom::element e) {
  std::string out = TypeName(e.type());
  switch (e.type()) {
    case dom::element_type::STRING:
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: {
      std::string text = simdjson::minify(e);
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      out += " " + text;
      break;
    }
    default:
      break;
  }
  return out;
}

Status FieldError(std::string_view field, std::string_view what) {
  return InvalidArgument("field '" + std::string(field) + "': " + std::string(what));
}

Status ParseId(dom::element e, int64_t* out) {
  int64_t id = 0;
  switch (e.type()) {
    case dom::element_type::INT64:
      id = int64_t(e);
      break;
    case dom::element_type::UINT64:  // only values above INT64_MAX land here
      return FieldError("id", "expected an integer >= 1, got " + Describe(e) + " (out of range)");
    default:
      return FieldError("id", "expected an integer >= 1, got " + Describe(e));
  }
  if (id < 1) return FieldError("id", "expected an integer >= 1, got " + std::to_string(id));
  *out = id;
  return Status::OK();
}

Status ParseMeasure(std::string_view field, dom::element e, std::optional<double>* out) {
  switch (e.type()) {
    case dom::element_type::NULL_VALUE:
      out->reset();
      return Status::OK();
    case dom::element_type::INT64:
      *out = double(int64_t(e));
      return Status::OK();
    case dom::element_type::UINT64:
      *out = double(uint64_t(e));
      return Status::OK();
    case dom::element_type::DOUBLE:
      *out = double(e);
      return Status::OK();
    default:
      return FieldError(field, "expected a number or null, got " + Describe(e));
  }
}

}  // namespace

const size_t BeerParser::kPadding = simdjson::SIMDJSON_PADDING;

struct BeerParser::Impl {
  JsonScan scan;
  dom::parser parser;
  std::unique_ptr<char[]> padded;  // Parse's copy of unpadded input, kept between calls
  size_t padded_capacity = 0;

  // `json` has kPadding readable bytes after it.
  Result<CleanedBeer> ParseInPlace(const char* json, size_t size) {
    CleanedBeer beer;
    if (internal::FastParseBeer(scan, json, size, &beer)) return beer;
    return Finish(parser.parse(json, size, false));
  }

  Result<CleanedBeer> Project(dom::element root) {
    dom::object obj;
    if (root.get(obj) != simdjson::SUCCESS) {
      return InvalidArgument(std::string("beer: expected a JSON object, got ") + TypeName(root.type()));
    }
    CleanedBeer beer;
    bool have_id = false, have_name = false;
    // One pass over the fields; a duplicated key keeps its last value, as Python's json does.
    for (dom::key_value_pair kv : obj) {
      std::string_view k = kv.key;
      if (k.empty()) continue;
      switch (k[0]) {
        case 'i':
          if (k == "id") {
            RETURN_IF_ERROR(ParseId(kv.value, &beer.id));
            have_id = true;
          } else if (k == "ibu") {
            RETURN_IF_ERROR(ParseMeasure(k, kv.value, &beer.ibu));
          }
          break;
        case 'n':
          if (k == "name") {
            std::string_view name;
            if (kv.value.get(name) != simdjson::SUCCESS) {
              return FieldError("name", "expected a non-empty string, got " + Describe(kv.value));
            }
            if (name.empty()) return FieldError("name", "expected a non-empty string, got an empty string");
            beer.name.assign(name);
            have_name = true;
          }
          break;
        case 'a':
          if (k == "abv") RETURN_IF_ERROR(ParseMeasure(k, kv.value, &beer.abv));
          break;
        case 't':
          if (k == "target_fg") RETURN_IF_ERROR(ParseMeasure(k, kv.value, &beer.target_fg));
          else if (k == "target_og") RETURN_IF_ERROR(ParseMeasure(k, kv.value, &beer.target_og));
          break;
        case 'e':
          if (k == "ebc") RETURN_IF_ERROR(ParseMeasure(k, kv.value, &beer.ebc));
          break;
        case 's':
          if (k == "srm") RETURN_IF_ERROR(ParseMeasure(k, kv.value, &beer.srm));
          break;
        case 'p':
          if (k == "ph") RETURN_IF_ERROR(ParseMeasure(k, kv.value, &beer.ph));
          break;
        default:
          break;
      }
    }
    if (!have_id) return FieldError("id", "missing");
    if (!have_name) return FieldError("name", "missing");
    return beer;
  }

  Result<CleanedBeer> Finish(simdjson::simdjson_result<dom::element> parsed) {
    dom::element root;
    if (auto err = parsed.get(root); err != simdjson::SUCCESS) {
      return InvalidArgument(std::string("beer: malformed JSON: ") + simdjson::error_message(err));
    }
    return Project(root);
  }
};

BeerParser::BeerParser() : impl_(std::make_unique<Impl>()) {}
BeerParser::~BeerParser() = default;

Result<CleanedBeer> BeerParser::Parse(std::string_view json) {
  const size_t need = json.size() + kPadding;
  if (impl_->padded_capacity < need) {
    impl_->padded_capacity = std::max(need, impl_->padded_capacity * 2);
    impl_->padded = std::make_unique_for_overwrite<char[]>(impl_->padded_capacity);
  }
  if (!json.empty()) std::memcpy(impl_->padded.get(), json.data(), json.size());
  // simdjson reads the padding; zero it so no stale bytes of an earlier beer are ever looked at.
  std::memset(impl_->padded.get() + json.size(), 0, kPadding);
  return impl_->ParseInPlace(impl_->padded.get(), json.size());
}

Result<CleanedBeer> BeerParser::ParsePadded(std::string_view json, size_t capacity) {
  if (capacity < json.size() + kPadding) return Parse(json);
  return impl_->ParseInPlace(json.data(), json.size());
}

Result<CleanedBeer> ParseBeer(std::string_view json) {
  BeerParser parser;
  return parser.Parse(json);
}

void AppendCsvLine(std::string* out, const CleanedBeer& beer) {
  AppendCsvInteger(out, beer.id);
  out->push_back(',');
  AppendCsvText(out, beer.name);
  for (const std::optional<double>* m :
       {&beer.abv, &beer.ibu, &beer.target_fg, &beer.target_og, &beer.ebc, &beer.srm, &beer.ph}) {
    out->push_back(',');
    AppendCsvNumber(out, *m);
  }
  out->push_back('\n');
}

std::string ToCsvLine(const CleanedBeer& beer) {
  std::string out;
  AppendCsvLine(&out, beer);
  return out;
}

}  // namespace brewline::beer
