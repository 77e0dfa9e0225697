#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "punkapi/dataset.h"
#include "test_util.h"

namespace brewline::punkapi {
namespace {

using ::testing::HasSubstr;

TEST(Dataset, LoadsTheRealDatasetSortedById) {
  auto ds = test::RealDataset();
  ASSERT_NE(ds, nullptr) << "run scripts/install-deps.sh";
  ASSERT_EQ(ds->size(), 325u);
  for (size_t i = 0; i < ds->size(); ++i) EXPECT_EQ(ds->beers()[i].cleaned.id, int64_t(i + 1));
  const DatasetBeer* b = ds->Find(204);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->cleaned.name, "Cascade, Centennial & Willamette IPA - B-Sides");
  EXPECT_EQ(b->json.front(), '{');
  EXPECT_EQ(b->json.back(), '}');
  EXPECT_EQ(ds->Find(0), nullptr);
  EXPECT_EQ(ds->Find(326), nullptr);
}

TEST(Dataset, KeepsTheOriginalTextAndFilterKeys) {
  auto ds = Dataset::Parse(
      R"([ {"id":2,"name":"Two","first_brewed":"2009","ingredients":{"yeast":"Wyeast 1056 - American Ale™",
      "hops":[{"name":"Citra"}],"malt":[{"name":"Extra Pale"}]},"food_pairing":["Spicy Tacos"]},
      {"id":1,"name":"One","abv":4.50,"first_brewed":"09/2007"} ])",
      "mem.json");
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->size(), 2u);
  EXPECT_EQ(ds->beers()[0].json, R"({"id":1,"name":"One","abv":4.50,"first_brewed":"09/2007"})");
  EXPECT_EQ(ds->beers()[0].brewed_months, 2007 * 12 + 8);
  const DatasetBeer& two = ds->beers()[1];
  EXPECT_EQ(two.brewed_months, 2009 * 12);
  EXPECT_EQ(two.yeast_lower, "wyeast 1056 - american ale™");
  EXPECT_EQ(two.hops_lower, std::vector<std::string>{"citra"});
  EXPECT_EQ(two.malt_lower, std::vector<std::string>{"extra pale"});
  EXPECT_EQ(two.food_lower, std::vector<std::string>{"spicy tacos"});
}

TEST(Dataset, MalformedFileNamesFileAndPosition) {
  brewline::testing::TempDir dir;
  std::string path = dir.Join("data.json");
  std::ofstream(path) << "[\n{\"id\":1,\"name\":\"a\"},\n{\"id\":2,\"name\":\"b\",}\n]";
  auto ds = Dataset::Load(PosixFileSystem::Get(), path);
  ASSERT_FALSE(ds.ok());
  EXPECT_THAT(ds.status().message(), HasSubstr(path + ": malformed JSON at line 3, column"));
}

TEST(Dataset, InvalidBeerNamesFileBeerAndField) {
  auto ds = Dataset::Parse("[{\"id\":1,\"name\":\"a\"},\n  {\"id\":2,\"name\":\"b\",\"abv\":\"x\"}]", "d.json");
  ASSERT_FALSE(ds.ok());
  EXPECT_THAT(ds.status().message(),
              HasSubstr("d.json: beer #1 (line 2, column 3): field 'abv': expected a number or null"));
}

TEST(Dataset, RejectsDuplicatesEmptyAndNonArrays) {
  EXPECT_THAT(Dataset::Parse(R"([{"id":1,"name":"a"},{"id":1,"name":"b"}])", "d").status().message(),
              HasSubstr("duplicate beer id 1"));
  EXPECT_THAT(Dataset::Parse("[]", "d").status().message(), HasSubstr("no beers"));
  EXPECT_THAT(Dataset::Parse(R"({"id":1})", "d").status().message(), HasSubstr("expected a JSON array"));
}

TEST(Dataset, MissingFileNamesIt) {
  auto ds = Dataset::Load(PosixFileSystem::Get(), "/nonexistent/data.json");
  ASSERT_FALSE(ds.ok());
  EXPECT_THAT(ds.status().message(), HasSubstr("/nonexistent/data.json"));
}

}  // namespace
}  // namespace brewline::punkapi
