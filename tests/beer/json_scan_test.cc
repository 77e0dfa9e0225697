// JsonScan and the beer fast path may only ever accept what simdjson's DOM parser accepts, and give the
// values the DOM path gives. These tests hold them to that against the DOM itself: hand-picked edge cases, and
// every single-byte mutation of a real beer.
#include "beer/json_scan.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "beer/beer.h"
#include "beer/beer_fast.h"

namespace brewline::beer {
namespace {

bool DomAccepts(const std::string& json) {
  simdjson::dom::parser parser;
  return parser.parse(json).error() == simdjson::SUCCESS;
}

// The DOM path's projection, restated on simdjson's DOM for valid beers: the last of duplicated keys wins.
std::optional<CleanedBeer> DomProject(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(json).get(obj)) return std::nullopt;
  CleanedBeer beer;
  bool id = false, name = false;
  for (auto [key, value] : obj) {
    auto measure = [&](std::optional<double>* out) {
      if (value.is_null()) out->reset();
      else if (value.is_int64()) *out = double(int64_t(value));
      else if (value.is_uint64()) *out = double(uint64_t(value));
      else if (value.is_double()) *out = double(value);
      else return false;
      return true;
    };
    bool ok = true;
    if (key == "id") ok = value.is_int64() && int64_t(value) >= 1 && (beer.id = int64_t(value), id = true);
    else if (key == "name") ok = value.is_string() && !std::string_view(value).empty() && (beer.name = std::string_view(value), name = true);
    else if (key == "abv") ok = measure(&beer.abv);
    else if (key == "ibu") ok = measure(&beer.ibu);
    else if (key == "target_fg") ok = measure(&beer.target_fg);
    else if (key == "target_og") ok = measure(&beer.target_og);
    else if (key == "ebc") ok = measure(&beer.ebc);
    else if (key == "srm") ok = measure(&beer.srm);
    else if (key == "ph") ok = measure(&beer.ph);
    if (!ok) return std::nullopt;
  }
  if (!id || !name) return std::nullopt;
  return beer;
}

bool Scan(JsonScan& scan, std::string json) {
  json.reserve(json.size() + simdjson::SIMDJSON_PADDING);
  return scan.Index(json.data(), json.size());
}

TEST(JsonScan, AcceptsValidDocumentsTheDomAccepts) {
  JsonScan scan;
  for (const char* json : {R"({})", R"([])", R"({"a":1})", R"( { "a" : 1 , "b" : [ 1 , 2 ] , "c" : { } } )",
                           R"({"a":[true,false,null,"x",-0,0.5,-1.25e-7,1E+2,123456789012345678]})",
                           R"({"a":"caf\u00e9 \"q\" \\ \/ \b\f\n\r\t","b":"é – ✓"})", "{\"a\":\n[[[]]]\r\n}\t"}) {
    EXPECT_TRUE(DomAccepts(json)) << json;
    EXPECT_TRUE(Scan(scan, json)) << json;
  }
}

TEST(JsonScan, RejectsOrDefersEverythingElse) {
  JsonScan scan;
  const std::vector<std::string> cases = {
      "", " ", "1", "\"x\"", "null", "{", "}", "{]", "[}", "{} {}", "{}x", "{}}", "{\"a\":1,}", "{,}", "[1,]",
      "[,1]", "{\"a\" 1}", "{\"a\"::1}", "{\"a\":}", "{1:1}", "{\"a\":1 \"b\":2}", "{\"a\":01}", "{\"a\":-}",
      "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":1e400}", "{\"a\":0x1}",
      "{\"a\":1234567890123456789}", "{\"a\":18446744073709551616}", "{\"a\":tru}", "{\"a\":nul}",
      "{\"a\":truex}", "{\"a\":True}", "{\"a\":NaN}", "{\"a\":\"x\\q\"}", "{\"a\":\"\\u12\"}",
      "{\"a\":\"\\ud800\"}", "{\"a\":\"\\uDC00\"}", "{\"a\":\"x\"y}", "{\"a\":\"x\x01\"}", "{\"a\":\"\xff\"}",
      "{\"a\":\"\xc3\"}", "{\"a\":\"unclosed}", std::string(65, '[') + std::string(65, ']'),
      std::string("{\"a\":\"x\0\"}", 10)};
  for (const std::string& json : cases) {
    if (Scan(scan, json)) {
      EXPECT_TRUE(DomAccepts(json)) << "accepted what the DOM rejects: " << json;
    }
  }
  // Nesting up to the limit is ours; beyond it, the DOM decides.
  const std::string deep = std::string(JsonScan::kMaxDepth, '[') + std::string(JsonScan::kMaxDepth, ']');
  EXPECT_TRUE(Scan(scan, deep));
}

TEST(JsonScan, TokensAndContainers) {
  JsonScan scan;
  std::string json = R"({"k":[1,{"x":null}],"s":"a\nb","n":-2.5 })";
  json.reserve(json.size() + 64);
  ASSERT_TRUE(scan.Index(json.data(), json.size()));
  EXPECT_EQ(scan.kind(0), '{');
  EXPECT_EQ(scan.close(0), scan.count() - 1);
  EXPECT_EQ(scan.body(1), "k");
  EXPECT_EQ(scan.kind(3), '[');
  EXPECT_EQ(scan.kind(scan.after(3)), ',');
  const uint32_t s = scan.after(3) + 1;
  EXPECT_EQ(scan.body(s), "s");
  EXPECT_TRUE(scan.escaped(s + 2));
  EXPECT_EQ(scan.body(s + 2), "a\\nb");
  EXPECT_EQ(scan.text(s + 6), "-2.5");
  double d = 0;
  EXPECT_TRUE(ParseJsonNumber(scan.text(s + 6), &d));
  EXPECT_EQ(d, -2.5);
}

// Every single-byte mutation of a real beer (each byte replaced by characters that matter to JSON): whenever
// the fast path answers, the DOM path must accept the document and project the same beer.
// A document with a backslash has every string's escapes checked; one without skips that, relying on stage 1
// alone: both kinds are mutated.
class BeerFastPath : public ::testing::TestWithParam<bool> {};

TEST_P(BeerFastPath, EveryMutationAgreesWithTheDom) {
  std::string beer =
      R"({"id":29,"name":"10 Heads High","tagline":"Imperial \"Red\" Ale.","abv":7.8,"ibu":70,"target_fg":1015,)"
      R"("target_og":1074.5,"ebc":null,"srm":45,"ph":4.4,"volume":{"value":20,"unit":"litres"},)"
      R"("method":{"mash_temp":[{"temp":{"value":65,"unit":"celsius"},"duration":75}],"twist":null},)"
      R"("food_pairing":["Vietnamese \u00e9 pho","Chocolate"],"contributed_by":"Sam Mason <samjbmason>"})";
  if (!GetParam()) {
    beer.replace(beer.find("\\\"Red\\\""), 7, "'Red'");
    beer.replace(beer.find("\\u00e9"), 6, "e");
    ASSERT_EQ(beer.find('\\'), std::string::npos);
  }
  const std::string replacements = std::string("\"\\{}[]:,0-.eE+nulltruefalse \x01\xff", 27);
  JsonScan scan;
  int fast = 0;
  auto check = [&](const std::string& json) {
    std::string padded = json;
    padded.reserve(json.size() + BeerParser::kPadding);
    CleanedBeer got;
    if (!internal::FastParseBeer(scan, padded.data(), padded.size(), &got)) return;
    ++fast;
    ASSERT_TRUE(DomAccepts(json)) << json;
    auto expected = DomProject(json);
    ASSERT_TRUE(expected.has_value()) << json;
    EXPECT_EQ(got, *expected) << json;
  };
  check(beer);
  ASSERT_EQ(fast, 1);
  for (size_t i = 0; i < beer.size(); ++i) {
    for (char c : replacements) {
      std::string m = beer;
      m[i] = c;
      check(m);
    }
    check(beer.substr(0, i) + beer.substr(i + 1));  // deletion
    check(beer.substr(0, i));                       // truncation
  }
  EXPECT_GT(fast, 100);  // the fast path does answer for most harmless mutations
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutEscapes, BeerFastPath, ::testing::Bool());

// What the fast path answers must equal what the DOM gives, value for value: the numbers the CSV writes.
TEST(BeerFastPathValues, NumbersConvertAsTheDomDoes) {
  const char* numbers[] = {"0",      "-0",         "7",     "-7",        "1015",     "123456789012345678",
                           "4.4",    "0.1",        "1e2",   "1E-2",      "-1.5e+10", "9007199254740993",
                           "0.30000000000000004", "2.2250738585072014e-30", "1.7976931348623157e+99"};
  JsonScan scan;
  for (const char* n : numbers) {
    std::string json = std::string(R"({"id":1,"name":"x","abv":)") + n + "}";
    std::string padded = json;
    padded.reserve(json.size() + 64);
    CleanedBeer fast;
    ASSERT_TRUE(internal::FastParseBeer(scan, padded.data(), padded.size(), &fast)) << n;
    simdjson::dom::parser dom;
    simdjson::dom::element abv = dom.parse(json)["abv"];
    double expected = abv.is_int64() ? double(int64_t(abv)) : abv.is_uint64() ? double(uint64_t(abv)) : double(abv);
    ASSERT_TRUE(fast.abv.has_value());
    EXPECT_EQ(*fast.abv, expected) << n;
    EXPECT_EQ(std::signbit(*fast.abv), std::signbit(expected)) << n;
    EXPECT_EQ(ToCsvLine(fast), ToCsvLine(*ParseBeer(json))) << n;
  }
}

TEST(BeerFastPathValues, LeavesEscapedKeysAndNamesToTheDom) {
  // The DOM matches keys after unescaping: "i\u0064" is "id".
  auto beer = ParseBeer(R"({"i\u0064":5,"name":"A \u00e9\"","abv":1})");
  ASSERT_TRUE(beer.ok()) << beer.status().ToString();
  EXPECT_EQ(beer->id, 5);
  EXPECT_EQ(beer->name, "A é\"");
  JsonScan scan;
  std::string json = R"({"i\u0064":5,"name":"x"})";
  json.reserve(json.size() + 64);
  CleanedBeer out;
  EXPECT_FALSE(internal::FastParseBeer(scan, json.data(), json.size(), &out));
}

TEST(BeerFastPathValues, FieldErrorsComeFromTheDomPathUnchanged) {
  BeerParser parser;
  // The first wrong field in document order names the error, even when a later duplicate would be fine.
  auto r = parser.Parse(R"({"id":1,"name":"x","abv":"strong","abv":5})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "field 'abv': expected a number or null, got string \"strong\"");
  auto big = parser.Parse(R"({"id":1,"name":"x","ibu":1e400})");
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("malformed JSON"), std::string::npos);
  auto id = parser.Parse(R"({"id":1e2,"name":"x"})");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().message(), "field 'id': expected an integer >= 1, got number 100.0");
}

TEST(BeerParser, ParseReusesItsBufferAcrossSizes) {
  BeerParser parser;
  std::string big = R"({"id":2,"name":"B","description":")" + std::string(100000, 'd') + R"(","abv":5})";
  std::string small = R"({"id":1,"name":"S"})";
  for (const std::string* json : {&small, &big, &small, &big}) {
    auto beer = parser.Parse(*json);
    ASSERT_TRUE(beer.ok()) << beer.status().ToString();
    EXPECT_EQ(beer->id, json == &big ? 2 : 1);
  }
  // A document that ends exactly where the buffer would: no stale bytes from the bigger one are read.
  auto truncated = parser.Parse(std::string_view(big).substr(0, 50));
  EXPECT_FALSE(truncated.ok());
}

}  // namespace
}  // namespace brewline::beer
