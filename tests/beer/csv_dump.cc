// beer_csv_dump DATA_JSON: prints the cleaned CSV (one line per beer, dataset order) of a JSON array of beers.
// Exit 1 with one line on stderr if the file cannot be read or any beer is invalid.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "beer/beer.h"
#include "beer/json_array.h"

int main(int argc, char** argv) {
  using namespace brewline::beer;
  if (argc != 2) {
    std::fprintf(stderr, "usage: beer_csv_dump DATA_JSON\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "error: cannot open %s\n", argv[1]);
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string json = ss.str();
  auto spans = SplitJsonArray(json);
  if (!spans.ok()) {
    std::fprintf(stderr, "error: %s\n", spans.status().message().c_str());
    return 1;
  }
  BeerParser parser;
  std::string out;
  for (const JsonElementSpan& span : *spans) {
    auto beer = parser.Parse(span.text);
    if (!beer.ok()) {
      std::fprintf(stderr, "error: byte %zu: %s\n", span.offset, beer.status().message().c_str());
      return 1;
    }
    AppendCsvLine(&out, *beer);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
