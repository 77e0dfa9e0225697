// table_bench: the measured side of bench/table/run.sh.
//   table_bench generate DATA_DIR ROWS ROWS_PER_OBJECT   writes delivery-shaped cleaned objects (FsObjectStore)
//   table_bench sync DATA_DIR                            one CleanedTable::Sync; prints {"rows","seconds"}
//   table_bench query DATA_DIR REPEAT SQL                RunReadOnlyQuery REPEAT times; prints the median
// Rows cycle through the punkapi-db beers (so `beers` has 325 rows); every 4th object is gzip-compressed.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "beer/beer.h"
#include "beer/json_array.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "common/time_util.h"
#include "store/fs_object_store.h"
#include "table/cleaned_table.h"
#include "common/gzip.h"
#include "table/sql_query.h"

using namespace brewline;

namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// User + system CPU seconds of this process: the machine is shared, so wall time includes waiting for others.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

int Fail(const Status& s) {
  std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
  return 1;
}

int Generate(const std::string& data_dir, long rows, long per_object, const std::string& dataset) {
  auto text = PosixFileSystem::Get().ReadFile(dataset);
  if (!text.ok()) return Fail(text.status());
  auto spans = beer::SplitJsonArray(*text);
  if (!spans.ok()) return Fail(spans.status());
  std::vector<beer::CleanedBeer> beers;
  beer::BeerParser parser;
  for (const auto& s : *spans) {
    auto b = parser.Parse(s.text);
    if (b.ok()) beers.push_back(*b);
  }
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  int64_t t = 1714557600000;
  long written = 0;
  for (int obj = 0; written < rows; ++obj) {
    std::string body;
    long n = std::min(per_object, rows - written);
    for (long i = 0; i < n; ++i) beer::AppendCsvLine(&body, beers[static_cast<size_t>((written + i) % beers.size())]);
    UtcTime u = ToUtc(t);
    char key[160];
    std::snprintf(key, sizeof(key), "%04d/%02d/%02d/%02d/cleaned-1-%04d-%02d-%02d-%02d-%02d-%02d-%08d%s", u.year,
                  u.month, u.day, u.hour, u.year, u.month, u.day, u.hour, u.minute, u.second, obj,
                  obj % 4 == 3 ? ".gz" : "");
    if (obj % 4 == 3) body = GzipCompress(body).value();
    Status st = store.Put("cleaned", key, body);
    if (!st.ok()) return Fail(st);
    written += n;
    t += 60000;
  }
  std::printf("{\"rows\":%ld}\n", written);
  return 0;
}

int Sync(const std::string& data_dir) {
  auto table = table::CleanedTable::Open(PosixFileSystem::Get(), SystemClock::Get(), data_dir);
  if (!table.ok()) return Fail(table.status());
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  double t0 = Now(), c0 = CpuSeconds();
  auto s = (*table)->Sync(store);
  double secs = Now() - t0, cpu = CpuSeconds() - c0;
  if (!s.ok()) return Fail(s.status());
  std::printf("{\"rows\":%lld,\"objects\":%lld,\"rejected\":%lld,\"seconds\":%.3f,\"cpu_seconds\":%.3f}\n",
              static_cast<long long>(s->rows_loaded), static_cast<long long>(s->objects_loaded),
              static_cast<long long>(s->lines_rejected), secs, cpu);
  return 0;
}

int Query(const std::string& data_dir, int repeat, const std::string& sql) {
  std::vector<double> ms;
  size_t rows = 0;
  for (int i = 0; i < repeat; ++i) {
    double t0 = Now();
    auto r = table::RunReadOnlyQuery(table::CleanedTable::DbPath(data_dir), sql);
    ms.push_back((Now() - t0) * 1000);
    if (!r.ok()) return Fail(r.status());
    rows = r->rows.size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("{\"median_ms\":%.2f,\"min_ms\":%.2f,\"rows\":%zu}\n", ms[ms.size() / 2], ms[0], rows);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 5 && a[0] == "generate") return Generate(a[1], std::atol(a[2].c_str()), std::atol(a[3].c_str()), a[4]);
  if (a.size() == 2 && a[0] == "sync") return Sync(a[1]);
  if (a.size() == 4 && a[0] == "query") return Query(a[1], std::atoi(a[2].c_str()), a[3]);
  std::fprintf(stderr,
               "usage: table_bench generate DATA_DIR ROWS ROWS_PER_OBJECT DATASET_JSON | sync DATA_DIR | "
               "query DATA_DIR REPEAT SQL\n");
  return 2;
}
