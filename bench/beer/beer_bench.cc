// beer_bench DATA_JSON REPEAT: parses every beer of the dataset REPEAT times (one BeerParser, as the transform
// does), projects it and appends its CSV line. Prints "records bytes seconds csv_bytes" of the best of 5 runs.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "beer/beer.h"
#include "beer/json_array.h"

int main(int argc, char** argv) {
  using namespace brewline::beer;
  if (argc != 3) {
    std::fprintf(stderr, "usage: beer_bench DATA_JSON REPEAT\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string json = ss.str();
  auto spans = SplitJsonArray(json);
  if (!spans.ok()) {
    std::fprintf(stderr, "error: %s\n", spans.status().message().c_str());
    return 1;
  }
  // The records as they arrive from a stream: separate buffers.
  std::vector<std::string> records;
  size_t bytes_per_pass = 0;
  for (const auto& s : *spans) {
    records.emplace_back(s.text);
    bytes_per_pass += s.text.size();
  }
  const int repeat = std::atoi(argv[2]);
  BeerParser parser;
  std::string csv;
  double best = 1e100;
  size_t csv_bytes = 0;
  for (int run = 0; run < 5; ++run) {
    csv.clear();
    auto start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeat; ++r) {
      for (const std::string& rec : records) {
        auto beer = parser.Parse(rec);
        if (!beer.ok()) return 1;
        AppendCsvLine(&csv, *beer);
      }
      csv_bytes = csv.size();
      if (csv.size() > (64u << 20)) csv.clear();  // bounded memory; the work is the same
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (secs < best) best = secs;
  }
  std::printf("%zu %zu %.6f %zu\n", records.size() * size_t(repeat), bytes_per_pass * size_t(repeat), best, csv_bytes);
  return 0;
}
