#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "beer/beer.h"
#include "beer/json_array.h"
#include "beer/schema.h"
#include "testing/temp_dir.h"

namespace brewline::beer {
namespace {

using ::testing::HasSubstr;

std::string ReadDataset() {
  std::ifstream in(brewline::testing::SourceDir() + "/.cache/npm/node_modules/punkapi-db/data.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(BeerParser, ParsesAll325DatasetBeers) {
  std::string json = ReadDataset();
  ASSERT_FALSE(json.empty()) << "punkapi-db dataset missing; run scripts/install-deps.sh";
  auto spans = SplitJsonArray(json);
  ASSERT_TRUE(spans.ok()) << spans.status().ToString();
  ASSERT_EQ(spans->size(), 325u);
  BeerParser parser;
  std::set<int64_t> ids;
  int null_ibus = 0;
  for (const auto& span : *spans) {
    auto beer = parser.Parse(span.text);
    ASSERT_TRUE(beer.ok()) << beer.status().ToString();
    EXPECT_FALSE(beer->name.empty());
    ids.insert(beer->id);
    if (!beer->ibu) ++null_ibus;
  }
  EXPECT_EQ(ids.size(), 325u);
  EXPECT_EQ(*ids.begin(), 1);
  EXPECT_EQ(null_ibus, 5);  // counted independently with Python
}

TEST(BeerParser, ProjectsTheNineColumns) {
  auto beer = ParseBeer(R"({"id":29,"name":"10 Heads High","tagline":"x","abv":7.8,"ibu":70,"target_fg":1015,
      "target_og":1074,"ebc":90,"srm":45,"ph":4.4,"method":{"twist":null},"ingredients":{"malt":[]}})");
  ASSERT_TRUE(beer.ok()) << beer.status().ToString();
  EXPECT_EQ(beer->id, 29);
  EXPECT_EQ(beer->name, "10 Heads High");
  EXPECT_EQ(beer->abv, 7.8);
  EXPECT_EQ(beer->ibu, 70.0);
  EXPECT_EQ(beer->target_fg, 1015.0);
  EXPECT_EQ(beer->target_og, 1074.0);
  EXPECT_EQ(beer->ebc, 90.0);
  EXPECT_EQ(beer->srm, 45.0);
  EXPECT_EQ(beer->ph, 4.4);
  EXPECT_EQ(ToCsvLine(*beer), "29,10 Heads High,7.8,70,1015,1074,90,45,4.4\n");
}

TEST(BeerParser, NullAndAbsentMeasuresAreNull) {
  auto beer = ParseBeer(R"({"id":1,"name":"N","abv":null,"ibu":null})");
  ASSERT_TRUE(beer.ok());
  EXPECT_FALSE(beer->abv);
  EXPECT_FALSE(beer->ph);
  EXPECT_EQ(ToCsvLine(*beer), "1,N,,,,,,,\n");
}

TEST(BeerParser, NonAsciiAndCommaNames) {
  auto beer = ParseBeer(R"({"id":204,"name":"Cascade, Centennial & Willamette \"IPA\" – Bière"})");
  ASSERT_TRUE(beer.ok());
  EXPECT_EQ(beer->name, "Cascade, Centennial & Willamette \"IPA\" – Bière");
  EXPECT_EQ(ToCsvLine(*beer), "204,\"Cascade, Centennial & Willamette \"\"IPA\"\" – Bière\",,,,,,,\n");
}

TEST(BeerParser, DuplicateKeyKeepsTheLastValue) {
  auto beer = ParseBeer(R"({"id":1,"name":"a","abv":1,"abv":2})");
  ASSERT_TRUE(beer.ok());
  EXPECT_EQ(beer->abv, 2.0);
}

TEST(BeerParser, PaddedBufferParsesInPlace) {
  std::string json = R"({"id":3,"name":"Berliner Weisse","abv":3.5})";
  json.reserve(json.size() + BeerParser::kPadding + 1);
  BeerParser parser;
  auto beer = parser.ParsePadded(json, json.capacity());
  ASSERT_TRUE(beer.ok());
  EXPECT_EQ(beer->abv, 3.5);
  // Too little capacity falls back to the copying path.
  auto again = parser.ParsePadded(std::string_view(json).substr(0, json.size()), json.size());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *beer);
}

struct BadCase {
  const char* json;
  const char* expected;  // substring of the error
};

class BadShape : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadShape, IsInvalidArgumentNamingTheField) {
  auto beer = ParseBeer(GetParam().json);
  ASSERT_FALSE(beer.ok()) << GetParam().json;
  EXPECT_EQ(beer.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(beer.status().message(), HasSubstr(GetParam().expected));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadShape,
    ::testing::Values(
        BadCase{R"({"id":0,"name":"x"})", "field 'id': expected an integer >= 1, got 0"},
        BadCase{R"({"id":-4,"name":"x"})", "field 'id': expected an integer >= 1, got -4"},
        BadCase{R"({"id":1.5,"name":"x"})", "field 'id': expected an integer >= 1, got number 1.5"},
        BadCase{R"({"id":"3","name":"x"})", "field 'id': expected an integer >= 1, got string \"3\""},
        BadCase{R"({"id":18446744073709551615,"name":"x"})", "field 'id'"},
        BadCase{R"({"id":null,"name":"x"})", "field 'id': expected an integer >= 1, got null"},
        BadCase{R"({"name":"x"})", "field 'id': missing"},
        BadCase{R"({"id":1,"name":""})", "field 'name': expected a non-empty string, got an empty string"},
        BadCase{R"({"id":1})", "field 'name': missing"},
        BadCase{R"({"id":1,"name":7})", "field 'name': expected a non-empty string, got number 7"},
        BadCase{R"({"id":1,"name":"x","abv":"x"})", "field 'abv': expected a number or null, got string \"x\""},
        BadCase{R"({"id":1,"name":"x","ibu":true})", "field 'ibu': expected a number or null, got boolean"},
        BadCase{R"({"id":1,"name":"x","ph":[]})", "field 'ph': expected a number or null, got array"},
        BadCase{R"({"id":1,"name":"x","srm":{}})", "field 'srm': expected a number or null, got object"},
        BadCase{R"([{"id":1,"name":"x"}])", "expected a JSON object, got array"},
        BadCase{R"("beer")", "expected a JSON object, got string"},
        BadCase{R"({"id":1,"name":"x")", "malformed JSON"},
        BadCase{R"({"id":1,"name":"x"} trailing)", "malformed JSON"},
        BadCase{R"({"id":1,"name":"x","tagline":tru})", "malformed JSON"},
        BadCase{"<html>nope</html>", "malformed JSON"},
        BadCase{"", "malformed JSON"}));

TEST(Schema, ColumnsAndTypeNames) {
  ASSERT_EQ(kCleanedColumns.size(), 9u);
  std::string names;
  for (const Column& c : kCleanedColumns) names += std::string(c.name) + ",";
  EXPECT_EQ(names, "id,name,abv,ibu,target_fg,target_og,ebc,srm,ph,");
  EXPECT_EQ(ColumnTypeName(ColumnType::kInteger), "integer");
  EXPECT_EQ(ColumnTypeName(ColumnType::kText), "text");
  EXPECT_EQ(ColumnTypeName(ColumnType::kReal), "real");
}

}  // namespace
}  // namespace brewline::beer
