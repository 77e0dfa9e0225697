#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "punkapi/query.h"
#include "test_util.h"

namespace brewline::punkapi {
namespace {

using ::testing::HasSubstr;

std::vector<int64_t> Ids(const QueryParams& params) {
  std::vector<ParamError> errors;
  auto q = ParseBeerQuery(params, &errors);
  EXPECT_TRUE(q.ok());
  std::vector<int64_t> ids;
  if (!q.ok()) return ids;
  for (const DatasetBeer* b : RunQuery(*test::RealDataset(), *q)) ids.push_back(b->cleaned.id);
  return ids;
}

TEST(BeerQuery, DefaultsAndPagination) {
  auto first = Ids({});
  ASSERT_EQ(first.size(), 25u);
  EXPECT_EQ(first.front(), 1);
  auto p2 = Ids({{"page", "2"}, {"per_page", "80"}});
  ASSERT_EQ(p2.size(), 80u);
  EXPECT_EQ(p2.front(), 81);
  EXPECT_EQ(Ids({{"page", "5"}, {"per_page", "80"}}).size(), 5u);
  EXPECT_TRUE(Ids({{"page", "6"}, {"per_page", "80"}}).empty());
}

TEST(BeerQuery, NumericFiltersAreStrictAndSkipNulls) {
  auto ds = test::RealDataset();
  auto ids = Ids({{"abv_gt", "12"}, {"per_page", "80"}});
  ASSERT_FALSE(ids.empty());
  for (int64_t id : ids) EXPECT_GT(*ds->Find(id)->cleaned.abv, 12.0);
  // ibu_lt never matches null IBUs (the original's JS `null < n` did).
  for (int64_t id : Ids({{"ibu_lt", "1000"}, {"per_page", "80"}, {"page", "5"}})) {
    EXPECT_TRUE(ds->Find(id)->cleaned.ibu.has_value());
  }
  size_t with_ibu = 0;
  for (const auto& b : ds->beers()) with_ibu += b.cleaned.ibu.has_value();
  size_t total = 0;
  for (int page = 1; page <= 5; ++page) {
    total += Ids({{"ibu_lt", "100000"}, {"per_page", "80"}, {"page", std::to_string(page)}}).size();
  }
  EXPECT_EQ(total, with_ibu);
  // ibu_gt filters on IBU (the original compared ABV here).
  for (int64_t id : Ids({{"ibu_gt", "100"}, {"per_page", "80"}})) EXPECT_GT(*ds->Find(id)->cleaned.ibu, 100.0);
  // Strict: ebc_gt=X excludes X itself.
  double ebc = *ds->Find(1)->cleaned.ebc;
  for (int64_t id : Ids({{"ebc_gt", std::to_string(int(ebc))}, {"ebc_lt", std::to_string(int(ebc) + 1)}})) {
    EXPECT_NE(*ds->Find(id)->cleaned.ebc, double(int(ebc)));
  }
}

TEST(BeerQuery, TextFiltersIdsAndDates) {
  EXPECT_EQ(Ids({{"beer_name", "cascade,_CENTENNIAL"}}), std::vector<int64_t>{204});
  EXPECT_EQ(Ids({{"ids", "29|4|1"}}), (std::vector<int64_t>{1, 4, 29}));
  auto ds = test::RealDataset();
  for (int64_t id : Ids({{"hops", "citra"}, {"per_page", "80"}})) {
    bool found = false;
    for (const auto& h : ds->Find(id)->hops_lower) found |= h.find("citra") != std::string::npos;
    EXPECT_TRUE(found) << id;
  }
  for (int64_t id : Ids({{"brewed_before", "01-2008"}, {"per_page", "80"}})) {
    EXPECT_LT(ds->Find(id)->brewed_months, 2008 * 12);
  }
  auto after = Ids({{"brewed_after", "12-2016"}, {"per_page", "80"}});
  for (int64_t id : after) EXPECT_GT(ds->Find(id)->brewed_months, 2016 * 12 + 11);
  EXPECT_FALSE(Ids({{"food", "cheese"}, {"yeast", "wyeast"}}).empty());
  EXPECT_FALSE(Ids({{"malt", "extra_pale"}}).empty());
}

TEST(BeerQuery, InvalidParamsAreAllReported) {
  std::vector<ParamError> errors;
  auto q = ParseBeerQuery({{"page", "0"}, {"per_page", "81"}, {"abv_gt", "x"}, {"brewed_before", "2010"},
                           {"ids", "1|a"}, {"ibu_lt", "-1"}, {"unknown", "whatever"}},
                          &errors);
  ASSERT_FALSE(q.ok());
  ASSERT_EQ(errors.size(), 6u);
  EXPECT_EQ(errors[0].param, "page");
  EXPECT_EQ(errors[0].msg, "Must be a number greater than 0");
  EXPECT_EQ(errors[0].value, "0");
  EXPECT_EQ(errors[1].param, "per_page");
  EXPECT_EQ(errors[1].msg, "Must be a number greater than 0 and less than 80");
  EXPECT_EQ(errors[2].param, "abv_gt");
  EXPECT_EQ(errors[3].param, "ibu_lt");
  EXPECT_EQ(errors[4].param, "brewed_before");
  EXPECT_EQ(errors[5].param, "ids");
  EXPECT_EQ(BadRequestBody({errors[0]}),
            R"({"statusCode":400,"error":"Bad Request","message":"Invalid query params","data":[)"
            R"({"location":"query","param":"page","msg":"Must be a number greater than 0","value":"0"}]})");
}

TEST(BeerQuery, EmptyValuesAreIgnored) {
  std::vector<ParamError> errors;
  EXPECT_TRUE(ParseBeerQuery({{"page", ""}, {"abv_gt", ""}}, &errors).ok());
}

TEST(BeerQuery, ParseBeerId) {
  EXPECT_EQ(ParseBeerId("204"), 204);
  EXPECT_FALSE(ParseBeerId("0"));
  EXPECT_FALSE(ParseBeerId("-1"));
  EXPECT_FALSE(ParseBeerId("1.5"));
  EXPECT_FALSE(ParseBeerId("abc"));
  EXPECT_FALSE(ParseBeerId(""));
  EXPECT_FALSE(ParseBeerId("99999999999999999999999"));
}

TEST(ErrorBodies, OriginalShapes) {
  EXPECT_EQ(NotFoundBody("No beer found that matches the ID 999"),
            R"({"statusCode":404,"error":"Not Found","message":"No beer found that matches the ID 999"})");
  EXPECT_THAT(TooManyRequestsBody(), HasSubstr(R"("statusCode":429,"error":"Too Many Requests")"));
}

}  // namespace
}  // namespace brewline::punkapi
