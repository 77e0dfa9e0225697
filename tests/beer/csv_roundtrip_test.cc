// The CSV must read back to exactly the JSON values through independent readers: Python's csv module and
// pandas (Debian's /usr/bin/python3), compared against json.load of the same dataset.
#include <gtest/gtest.h>

#include <fstream>

#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::beer {
namespace {

TEST(CsvRoundTrip, PythonCsvAndPandasReadBackTheJsonValues) {
  const std::string data = brewline::testing::SourceDir() + "/.cache/npm/node_modules/punkapi-db/data.json";
  brewline::testing::TempDir dir;
  auto dump = brewline::testing::RunCommand({BEER_CSV_DUMP, data});
  ASSERT_EQ(dump.exit_code, 0) << dump.err;
  ASSERT_NE(dump.out.find("204,\"Cascade, Centennial & Willamette IPA - B-Sides\","), std::string::npos);
  const std::string csv_path = dir.Join("cleaned.csv");
  std::ofstream(csv_path, std::ios::binary) << dump.out;
  auto check = brewline::testing::RunCommand({"/usr/bin/python3", BEER_ROUNDTRIP_PY, data, csv_path});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out, "OK 325 beers\n");
}

}  // namespace
}  // namespace brewline::beer
