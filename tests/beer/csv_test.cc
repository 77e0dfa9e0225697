#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <charconv>
#include <random>

#include "beer/csv.h"

namespace brewline::beer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string Num(double v) {
  std::string s;
  AppendCsvNumber(&s, v);
  return s;
}

TEST(CsvWrite, NumbersAreShortestRoundTripWithoutFractionForIntegers) {
  EXPECT_EQ(Num(50.0), "50");
  EXPECT_EQ(Num(4.4), "4.4");
  EXPECT_EQ(Num(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(Num(1015), "1015");
  EXPECT_EQ(Num(-3.25), "-3.25");
  EXPECT_EQ(Num(0), "0");
  EXPECT_EQ(Num(1e21), "1e+21");
  std::string s;
  AppendCsvNumber(&s, std::optional<double>());
  EXPECT_EQ(s, "");
}

TEST(CsvWrite, TextQuotedOnlyWhenNeeded) {
  std::string s;
  AppendCsvText(&s, "plain text é");
  s += '|';
  AppendCsvText(&s, "a,b");
  s += '|';
  AppendCsvText(&s, "say \"hi\"");
  s += '|';
  AppendCsvText(&s, "two\nlines\r");
  EXPECT_EQ(s, "plain text é|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\r\"");
}

TEST(CsvRead, SplitsQuotedFieldsAndLineEnds) {
  CsvReader r("1,\"a,b\",,\"x\"\"y\"\r\n\n2,\"multi\nline\",3\nlast,no newline");
  std::vector<std::string> f;
  ASSERT_TRUE(*r.Next(&f));
  EXPECT_THAT(f, ElementsAre("1", "a,b", "", "x\"y"));
  ASSERT_TRUE(*r.Next(&f));
  EXPECT_THAT(f, ElementsAre("2", "multi\nline", "3"));
  EXPECT_EQ(r.line(), 5u);
  ASSERT_TRUE(*r.Next(&f));
  EXPECT_THAT(f, ElementsAre("last", "no newline"));
  ASSERT_FALSE(*r.Next(&f));
}

TEST(CsvRead, TrailingEmptyFieldIsKept) {
  auto f = ParseCsvRecord("a,,\n");
  ASSERT_TRUE(f.ok());
  EXPECT_THAT(*f, ElementsAre("a", "", ""));
}

TEST(CsvRead, MalformedQuotingNamesTheLine) {
  EXPECT_THAT(ParseCsvRecord("\"open,1").status().message(), HasSubstr("line 1: unterminated quoted field"));
  EXPECT_THAT(ParseCsvRecord("\"a\"b,1").status().message(), HasSubstr("unexpected character after closing quote"));
  EXPECT_THAT(ParseCsvRecord("a\"b,1").status().message(), HasSubstr("quote inside an unquoted field"));
  EXPECT_THAT(ParseCsvRecord("a\nb\n").status().message(), HasSubstr("more than one record"));
  EXPECT_FALSE(ParseCsvRecord("").ok());
}

TEST(CsvRead, CleanedBeerRoundTrip) {
  CleanedBeer beer{204, "Cascade, Centennial \"B-Sides\"", 6.2, std::nullopt, 1010, 1057.5, 0.1 + 0.2, 1e21, 4.4};
  auto back = CleanedBeerFromCsvLine(ToCsvLine(beer));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, beer);
}

TEST(CsvRead, CleanedBeerErrorsNameTheColumn) {
  EXPECT_THAT(CleanedBeerFromCsvLine("0,x,,,,,,,").status().message(), HasSubstr("'id'"));
  EXPECT_THAT(CleanedBeerFromCsvLine("1.5,x,,,,,,,").status().message(), HasSubstr("'id'"));
  EXPECT_THAT(CleanedBeerFromCsvLine("1,,,,,,,,").status().message(), HasSubstr("'name'"));
  EXPECT_THAT(CleanedBeerFromCsvLine("1,x,abc,,,,,,").status().message(), HasSubstr("'abv': not a number"));
  EXPECT_THAT(CleanedBeerFromCsvLine("1,x,,,,,,,1 ").status().message(), HasSubstr("'ph'"));
  EXPECT_THAT(CleanedBeerFromCsvLine("1,x,,,,,,,nan").status().message(), HasSubstr("'ph'"));
  EXPECT_THAT(CleanedBeerFromCsvLine("1,x,,").status().message(), HasSubstr("expected 9 fields, got 4"));
}

TEST(CsvRecordEnd, QuotedNewlinesStayAndStrayQuotesDoNotSwallowTheNextRecord) {
  std::string_view body = "1,\"two\nlines\",x\n2,b\"ad,y\n3,ok,z";
  size_t end = CsvRecordEnd(body, 0);
  EXPECT_EQ(body.substr(0, end), "1,\"two\nlines\",x");
  size_t end2 = CsvRecordEnd(body, end + 1);
  EXPECT_EQ(body.substr(end + 1, end2 - end - 1), "2,b\"ad,y");
  EXPECT_EQ(CsvRecordEnd(body, end2 + 1), body.size());
}

TEST(SplitCsvRecord, FieldsOrAReasonWithoutPosition) {
  std::vector<std::string> fields;
  std::string reason;
  ASSERT_TRUE(SplitCsvRecord("1,\"a, \"\"b\"\"\",,4", &fields, &reason)) << reason;
  EXPECT_EQ(fields, (std::vector<std::string>{"1", "a, \"b\"", "", "4"}));
  EXPECT_FALSE(SplitCsvRecord("1,a\"b", &fields, &reason));
  EXPECT_EQ(reason, "quote inside an unquoted field");
  EXPECT_FALSE(SplitCsvRecord("1,\"a\"b", &fields, &reason));
  EXPECT_EQ(reason, "unexpected character after closing quote");
  EXPECT_FALSE(SplitCsvRecord("1,\"open", &fields, &reason));
  EXPECT_EQ(reason, "unterminated quoted field");
  EXPECT_FALSE(SplitCsvRecord("1,a\rb", &fields, &reason));
  EXPECT_EQ(reason, "line end inside an unquoted field");
}

// The integral fast path of AppendCsvNumber must write exactly what std::to_chars's shortest form writes.
TEST(AppendCsvNumber, IntegralValuesMatchToChars) {
  auto general = [](double v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, end);
  };
  std::vector<double> values = {0.0, -0.0, 1, -1, 10, 100, 1000, 10000, 100000, 1e6, 1e7, 1234500000, 1e14,
                                999999999999999, -1e14, 1e15, 1e16, 4.5, -0.25};
  for (int64_t i = -2000; i <= 200000; ++i) values.push_back(double(i));
  for (int64_t p = 1; p < 1000000000000000; p *= 10) {
    for (int64_t m : {1, 2, 9, 10, 11, 12, 99, 100, 101, 120, 1200, 12345}) values.push_back(double(m * p));
  }
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) values.push_back(double(int64_t(rng() % 1000000000000000ULL)));
  for (double v : values) {
    std::string out;
    AppendCsvNumber(&out, v);
    ASSERT_EQ(out, general(v)) << v;
  }
}

}  // namespace
}  // namespace brewline::beer
