// The cleaned-object reader: RFC 4180 records validated against the schema; bad records reported, not fatal.
#include "table/cleaned_csv.h"

#include <gtest/gtest.h>

#include <vector>

namespace brewline::table {
namespace {

// A record with its text values copied (CsvValue::text is only valid until the reader's next call).
struct Rec : CsvRecord {
  std::vector<std::string> texts;
};

std::vector<Rec> ReadAll(std::string_view body) {
  CleanedCsvReader reader(body);
  std::vector<Rec> out;
  CsvRecord rec;
  while (reader.Next(&rec)) {
    Rec r;
    static_cast<CsvRecord&>(r) = rec;
    r.texts.reserve(rec.values.size());
    for (auto& v : r.values) {
      r.texts.emplace_back(v.text);
      v.text = r.texts.back();
    }
    out.push_back(std::move(r));
  }
  return out;
}

TEST(CleanedCsvTest, ReadsTypedValuesAndNulls) {
  auto recs = ReadAll("1,Buzz,4.5,60,1010,1044,20,10,4.4\n2,Trashy Blonde,4.1,,,,,,\n");
  ASSERT_EQ(recs.size(), 2u);
  ASSERT_TRUE(recs[0].ok) << recs[0].error;
  EXPECT_EQ(recs[0].line, 1);
  EXPECT_EQ(recs[0].values[0].i, 1);
  EXPECT_EQ(recs[0].values[1].text, "Buzz");
  EXPECT_DOUBLE_EQ(recs[0].values[2].d, 4.5);
  EXPECT_DOUBLE_EQ(recs[0].values[8].d, 4.4);
  ASSERT_TRUE(recs[1].ok) << recs[1].error;
  EXPECT_FALSE(recs[1].values[2].is_null);
  for (size_t c = 3; c < 9; ++c) EXPECT_TRUE(recs[1].values[c].is_null) << c;
}

TEST(CleanedCsvTest, QuotedNamesWithCommasQuotesAndNewlines) {
  auto recs = ReadAll(
      "204,\"Cascade, Centennial & Willamette IPA - B-Sides\",,,,,,,\n"
      "5,\"The \"\"Quoted\"\" One\",1,2,3,4,5,6,7\n"
      "6,\"two\nlines\",1,2,3,4,5,6,7\n"
      "7,\"\",1,2,3,4,5,6,7\n");
  ASSERT_EQ(recs.size(), 4u);
  ASSERT_TRUE(recs[0].ok) << recs[0].error;
  EXPECT_EQ(recs[0].values[1].text, "Cascade, Centennial & Willamette IPA - B-Sides");
  ASSERT_TRUE(recs[1].ok) << recs[1].error;
  EXPECT_EQ(recs[1].values[1].text, "The \"Quoted\" One");
  ASSERT_TRUE(recs[2].ok) << recs[2].error;
  EXPECT_EQ(recs[2].values[1].text, "two\nlines");
  EXPECT_EQ(recs[2].line, 3);
  EXPECT_FALSE(recs[3].ok);  // name is NOT NULL
  EXPECT_NE(recs[3].error.find("name"), std::string::npos);
}

TEST(CleanedCsvTest, ToleratesCrlfAndMissingFinalNewline) {
  auto recs = ReadAll("1,A,1,2,3,4,5,6,7\r\n2,B,1,2,3,4,5,6,7");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_TRUE(recs[0].ok) << recs[0].error;
  EXPECT_DOUBLE_EQ(recs[0].values[8].d, 7);
  EXPECT_TRUE(recs[1].ok) << recs[1].error;
  EXPECT_EQ(recs[1].values[1].text, "B");
}

TEST(CleanedCsvTest, ReportsEachMalformedRecordAndContinues) {
  auto recs = ReadAll(
      "1,A,1,2,3,4,5,6\n"          // 8 fields
      "2,B,1,2,3,4,5,6,7,8\n"      // 10 fields
      "x,C,1,2,3,4,5,6,7\n"        // id not an integer
      "0,D,1,2,3,4,5,6,7\n"        // id < 1
      "4,E,abc,2,3,4,5,6,7\n"      // abv not a number
      "5,F,nan,2,3,4,5,6,7\n"      // not finite
      "6,G\"x,1,2,3,4,5,6,7\n"     // quote inside bare field
      "7,\"H\"x,1,2,3,4,5,6,7\n"   // text after closing quote
      "\n"                         // empty line
      ",I,1,2,3,4,5,6,7\n"         // empty id
      "8,J,1,2,3,4,5,6,7\n"        // good
      "9,\"unterminated,1,2,3,4,5,6,7\n");
  ASSERT_EQ(recs.size(), 12u);
  const char* expect[] = {"got 8", "got 10", "not an integer", ">= 1", "not a number", "not a number",
                          "quote inside", "after closing quote", "empty line", "NOT NULL"};
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_FALSE(recs[i].ok) << i;
    EXPECT_NE(recs[i].error.find(expect[i]), std::string::npos) << i << ": " << recs[i].error;
    EXPECT_EQ(recs[i].line, static_cast<int64_t>(i + 1));
  }
  EXPECT_TRUE(recs[10].ok) << recs[10].error;
  EXPECT_EQ(recs[10].values[0].i, 8);
  EXPECT_FALSE(recs[11].ok);
  EXPECT_NE(recs[11].error.find("unterminated"), std::string::npos);
  EXPECT_EQ(recs[1].raw, "2,B,1,2,3,4,5,6,7,8");
}

TEST(CleanedCsvTest, ExponentsAndNegativesParse) {
  auto recs = ReadAll("3,X,1e+21,-1.5,0,1050,2.5e-3,0,14\n");
  ASSERT_EQ(recs.size(), 1u);
  ASSERT_TRUE(recs[0].ok) << recs[0].error;
  EXPECT_DOUBLE_EQ(recs[0].values[2].d, 1e21);
  EXPECT_DOUBLE_EQ(recs[0].values[3].d, -1.5);
  EXPECT_DOUBLE_EQ(recs[0].values[6].d, 0.0025);
}

TEST(CleanedCsvTest, EmptyBodyHasNoRecords) { EXPECT_TRUE(ReadAll("").empty()); }

}  // namespace
}  // namespace brewline::table
