#include "table/table_fixtures.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "beer/json_array.h"
#include "common/file_system.h"
#include "common/time_util.h"
#include "table/gzip.h"
#include "testing/temp_dir.h"

namespace brewline::table::testing {

const std::vector<beer::CleanedBeer>& PunkBeers() {
  static const std::vector<beer::CleanedBeer> beers = [] {
    std::vector<beer::CleanedBeer> out;
    auto text = PosixFileSystem::Get().ReadFile(brewline::testing::SourceDir() +
                                                "/.cache/npm/node_modules/punkapi-db/data.json");
    if (!text.ok()) {
      ADD_FAILURE() << "punkapi-db missing: " << text.status().ToString();
      return out;
    }
    auto spans = beer::SplitJsonArray(*text);
    if (!spans.ok()) {
      ADD_FAILURE() << spans.status().ToString();
      return out;
    }
    beer::BeerParser parser;
    for (const auto& s : *spans) {
      auto b = parser.Parse(s.text);
      if (!b.ok()) {
        ADD_FAILURE() << b.status().ToString();
        continue;
      }
      out.push_back(*b);
    }
    return out;
  }();
  return beers;
}

std::string DeliveryKey(int64_t epoch_ms, const std::string& uuid, bool gz) {
  UtcTime t = ToUtc(epoch_ms);
  char buf[128];
  std::snprintf(buf, sizeof(buf), "%04d/%02d/%02d/%02d/cleaned-1-%04d-%02d-%02d-%02d-%02d-%02d-", t.year, t.month,
                t.day, t.hour, t.year, t.month, t.day, t.hour, t.minute, t.second);
  return std::string(buf) + uuid + (gz ? ".gz" : "");
}

std::string CsvBody(const std::vector<beer::CleanedBeer>& beers) {
  std::string out;
  for (const auto& b : beers) beer::AppendCsvLine(&out, b);
  return out;
}

void PutObject(store::ObjectStore& store, const std::string& key, const std::vector<beer::CleanedBeer>& beers) {
  std::string body = CsvBody(beers);
  if (IsGzipKey(key)) {
    auto gz = GzipCompress(body);
    ASSERT_TRUE(gz.ok());
    body = *gz;
  }
  Status st = store.Put("cleaned", key, body);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

}  // namespace brewline::table::testing
