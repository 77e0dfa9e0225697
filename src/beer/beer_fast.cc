#include "beer/beer_fast.h"

#include <cstdint>
#include <string_view>

namespace brewline::beer::internal {

namespace {

// A measure: a number or null, as the DOM path's ParseMeasure accepts.
bool ReadMeasure(const JsonScan& scan, uint32_t v, std::optional<double>* out) {
  const char c = scan.kind(v);
  if (c == 'n') {
    out->reset();
    return true;
  }
  if (c != '-' && !(c >= '0' && c <= '9')) return false;
  double d = 0;
  if (!ParseJsonNumber(scan.text(v), &d)) return false;
  *out = d;
  return true;
}

// One member of the root object: the nine fields we keep are read (a duplicated key keeps its last value, as
// in the DOM path); the others were checked by JsonScan already.
bool ReadField(const JsonScan& scan, uint32_t key, CleanedBeer* beer, bool* have_id, bool* have_name) {
  // The DOM matches keys after unescaping ("i\u0064" is "id"): escaped keys are left to it.
  if (scan.escaped(key)) return false;
  const std::string_view k = scan.body(key);
  const uint32_t v = key + 2;
  if (k.size() > 9 || k.empty()) return true;
  switch (k[0]) {
    case 'i':
      if (k == "id") {
        const char c = scan.kind(v);
        if ((c != '-' && !(c >= '0' && c <= '9')) || !ParseJsonInt(scan.text(v), &beer->id) || beer->id < 1) {
          return false;
        }
        *have_id = true;
      } else if (k == "ibu") {
        return ReadMeasure(scan, v, &beer->ibu);
      }
      return true;
    case 'n':
      if (k == "name") {
        if (scan.kind(v) != '"' || scan.escaped(v) || scan.body(v).empty()) return false;
        beer->name.assign(scan.body(v));
        *have_name = true;
      }
      return true;
    case 'a':
      return k != "abv" || ReadMeasure(scan, v, &beer->abv);
    case 't':
      if (k == "target_fg") return ReadMeasure(scan, v, &beer->target_fg);
      if (k == "target_og") return ReadMeasure(scan, v, &beer->target_og);
      return true;
    case 'e':
      return k != "ebc" || ReadMeasure(scan, v, &beer->ebc);
    case 's':
      return k != "srm" || ReadMeasure(scan, v, &beer->srm);
    case 'p':
      return k != "ph" || ReadMeasure(scan, v, &beer->ph);
    default:
      return true;
  }
}

}  // namespace

bool FastParseBeer(JsonScan& scan, const char* json, size_t size, CleanedBeer* out) {
  if (!scan.Index(json, size) || scan.kind(0) != '{') return false;
  *out = CleanedBeer{};
  bool have_id = false, have_name = false;
  const uint32_t end = scan.close(0);
  // Members: key, ':', value, then ',' or the closing '}'.
  for (uint32_t key = 1; key < end; key = scan.after(key + 2) + 1) {
    if (!ReadField(scan, key, out, &have_id, &have_name)) return false;
  }
  return have_id && have_name;
}

}  // namespace brewline::beer::internal
