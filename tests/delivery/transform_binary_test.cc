// build/brewline-transform (the transform alone, for cold runs) must answer exactly as `brewline transform`:
// the same bytes on stdout, the same exit code and stderr, for valid, mixed and malformed events.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "beers_fixture.h"
#include "testing/process.h"
#include "testing/temp_dir.h"

namespace brewline::delivery {
namespace {

std::string TransformBinary() { return testing::BinaryDir() + "/brewline-transform"; }

void ExpectSameAnswer(const std::string& event) {
  auto cli = testing::RunCommand({testing::BrewlineBinary(), "transform"}, event);
  auto small = testing::RunCommand({TransformBinary()}, event);
  EXPECT_EQ(small.exit_code, cli.exit_code);
  EXPECT_TRUE(small.out == cli.out) << "stdout differs: " << small.out.size() << " vs " << cli.out.size() << " bytes";
  EXPECT_EQ(small.err, cli.err);
}

TEST(TransformBinary, ByteIdenticalToBrewlineTransform) {
  std::vector<std::string> beers = testdata::LoadBeers();
  // Every beer of the dataset, then a 500-record event as the benchmark sends (beers repeat).
  ExpectSameAnswer(testdata::MakeEvent(beers));
  std::vector<std::string> five_hundred;
  for (size_t i = 0; i < 500; ++i) five_hundred.push_back(beers[i % beers.size()]);
  std::string big = testdata::MakeEvent(five_hundred);
  ASSERT_GT(big.size(), 1000000u);
  auto r = testing::RunCommand({TransformBinary()}, big);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSameAnswer(big);
}

TEST(TransformBinary, ByteIdenticalOnInvalidRecordsAndEvents) {
  std::vector<std::string> beers = testdata::LoadBeers();
  ExpectSameAnswer(testdata::MakeEvent({beers[0], "not json", R"({"id":5})", R"({"id":"7","name":"x"})", "",
                                        R"({"id":3,"name":"N,\"q\"","abv":null,"ibu":1e21})", beers[1]}));
  ExpectSameAnswer(R"({"records":[{"recordId":"a","data":"!!!"},{"recordId":"b\u00e9\n","data":"e30="}]})");
  ExpectSameAnswer(R"({"records":[]})");
  ExpectSameAnswer("");
  ExpectSameAnswer("{");
  ExpectSameAnswer(R"({"invocationId":"x"})");
  ExpectSameAnswer(R"({"records":[{"data":"e30="}]})");
  ExpectSameAnswer(R"({"records":[{"recordId":"a","data":"e30="}]} trailing)");
}

}  // namespace
}  // namespace brewline::delivery
