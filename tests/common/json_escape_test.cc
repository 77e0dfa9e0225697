// Hand-written JSON: strings and numbers as the hot paths print them.
#include "common/json_escape.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace brewline {
namespace {

std::string Number(double v) {
  std::string out;
  AppendJsonNumber(&out, v);
  return out;
}

std::string Float(float v) {
  std::string out;
  AppendJsonFloat(&out, v);
  return out;
}

TEST(JsonEscape, StringsAreQuotedAndEscaped) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c\nd\te\x01"), "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
  EXPECT_EQ(JsonQuote("Nøgne Ø"), "\"Nøgne Ø\"");  // UTF-8 passes through
}

TEST(JsonEscape, NumbersAreShortestRoundTripAndNonFiniteIsNull) {
  EXPECT_EQ(Number(50), "50");
  EXPECT_EQ(Number(6.5), "6.5");
  EXPECT_EQ(Number(0.1), "0.1");
  EXPECT_EQ(Number(-1e-300), "-1e-300");
  EXPECT_EQ(std::strtod(Number(1.0 / 3).c_str(), nullptr), 1.0 / 3);  // reads back exactly
  EXPECT_EQ(Number(std::nan("")), "null");
  EXPECT_EQ(Number(std::numeric_limits<double>::infinity()), "null");
  // Floats print their own shortest text, not the widened double's.
  EXPECT_EQ(Float(0.1f), "0.1");
  EXPECT_EQ(Float(0.5627127f), "0.5627127");
  EXPECT_EQ(std::strtof(Float(1.0f / 3).c_str(), nullptr), 1.0f / 3);
  EXPECT_EQ(Float(-std::numeric_limits<float>::infinity()), "null");
}

}  // namespace
}  // namespace brewline
