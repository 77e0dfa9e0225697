// A plain driver for bench/stream/run.sh: PutRecords throughput and latency with ~2 KB beer records from the
// punkapi-db dataset (durable: every batch is fsynced before it returns), then GetRecords throughput.
//   stream_bench DATA_DIR BEERS_JSON SHARDS RECORDS PRODUCERS
// Prints one JSON object: put_rps, put_mbps, p50_ms, p99_ms (per PutRecords call of 500), get_rps, get_mbps,
// avg_bytes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "common/clock.h"
#include "common/file_system.h"
#include "stream/local_stream.h"

using namespace brewline;

namespace {

double Seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s DATA_DIR BEERS_JSON SHARDS RECORDS PRODUCERS\n", argv[0]);
    return 2;
  }
  const std::string data_dir = argv[1];
  const int shards = std::atoi(argv[3]);
  const int records = std::atoi(argv[4]);
  const int producers = std::atoi(argv[5]);
  std::ifstream in(argv[2]);
  std::stringstream ss;
  ss << in.rdbuf();
  std::vector<std::string> beers;
  for (const auto& b : nlohmann::json::parse(ss.str())) beers.push_back(b.dump());
  if (beers.empty()) return 1;

  stream::StreamOptions opts;
  opts.shard_count = shards;
  auto s = stream::LocalStream::Create(PosixFileSystem::Get(), SystemClock::Get(), data_dir, "bench", opts);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.status().ToString().c_str());
    return 1;
  }
  stream::LocalStream& st = **s;
  constexpr int kBatch = 500;
  std::atomic<int> next{0};
  std::atomic<uint64_t> bytes{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(producers));
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      while (true) {
        const int start = next.fetch_add(kBatch);
        if (start >= records) break;
        const int n = std::min(kBatch, records - start);
        std::vector<stream::PutRecordInput> batch;
        batch.reserve(static_cast<size_t>(n));
        uint64_t b = 0;
        for (int i = start; i < start + n; ++i) {
          const std::string& beer = beers[static_cast<size_t>(i) % beers.size()];
          batch.push_back({"beer-" + std::to_string(i), beer, std::nullopt});
          b += beer.size();
        }
        auto a = std::chrono::steady_clock::now();
        auto out = st.PutRecords(batch);
        auto z = std::chrono::steady_clock::now();
        if (!out.ok() || out->failed_record_count != 0) {
          std::fprintf(stderr, "put failed: %s\n", out.ok() ? "partial" : out.status().ToString().c_str());
          std::exit(1);
        }
        latencies[static_cast<size_t>(p)].push_back(Seconds(a, z) * 1000.0);
        bytes += b;
      }
    });
  }
  for (auto& t : threads) t.join();
  auto t1 = std::chrono::steady_clock::now();
  std::vector<double> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double q) { return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(q * all.size()))]; };
  const double put_s = Seconds(t0, t1);

  // Reads: every shard from TRIM_HORIZON, 10,000 records per call.
  auto g0 = std::chrono::steady_clock::now();
  uint64_t got = 0, got_bytes = 0;
  for (int sh = 0; sh < shards; ++sh) {
    char id[32];
    std::snprintf(id, sizeof(id), "shardId-%012d", sh);
    auto it = st.GetShardIterator({id, stream::IteratorType::kTrimHorizon, "", 0});
    if (!it.ok()) return 1;
    std::string iter = *it;
    while (true) {
      auto r = st.GetRecords(iter, 10000);
      if (!r.ok()) {
        std::fprintf(stderr, "get failed: %s\n", r.status().ToString().c_str());
        return 1;
      }
      if (r->records.empty()) break;
      for (const auto& rec : r->records) got_bytes += rec.data.size();
      got += r->records.size();
      iter = r->next_shard_iterator;
    }
  }
  auto g1 = std::chrono::steady_clock::now();
  if (got != static_cast<uint64_t>(records)) {
    std::fprintf(stderr, "read %llu records, expected %d\n", static_cast<unsigned long long>(got), records);
    return 1;
  }
  const double get_s = Seconds(g0, g1);
  nlohmann::ordered_json out = {{"put_rps", records / put_s},
                                {"put_mbps", static_cast<double>(bytes.load()) / put_s / 1e6},
                                {"p50_ms", pct(0.50)},
                                {"p99_ms", pct(0.99)},
                                {"get_rps", static_cast<double>(got) / get_s},
                                {"get_mbps", static_cast<double>(got_bytes) / get_s / 1e6},
                                {"avg_bytes", static_cast<double>(bytes.load()) / records}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
