// Shows the per-shard write limit at work in real time: offers RATE records/s (100-byte records, PutRecords of
// 100 every 1/(RATE/100) s) to a one-shard stream opened with ShardLimits::Kinesis() for SECONDS, and counts
// what was accepted. A token bucket that starts full admits at most 1,000 + 1,000·elapsed records.
//   stream_limit_demo DATA_DIR RATE SECONDS
// Prints one JSON object: offered, accepted, throttled, seconds, bound.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/clock.h"
#include "common/file_system.h"
#include "stream/local_stream.h"

using namespace brewline;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DATA_DIR RATE SECONDS\n", argv[0]);
    return 2;
  }
  const int rate = std::atoi(argv[2]);
  const double seconds = std::atof(argv[3]);
  stream::StreamOptions opts;
  opts.limits = stream::ShardLimits::Kinesis();
  auto s = stream::LocalStream::Create(PosixFileSystem::Get(), SystemClock::Get(), argv[1], "limits", opts);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.status().ToString().c_str());
    return 1;
  }
  constexpr int kBatch = 100;
  const auto period = std::chrono::duration<double>(static_cast<double>(kBatch) / rate);
  const std::vector<stream::PutRecordInput> batch(kBatch, {"k", std::string(99, 'v'), std::nullopt});
  int offered = 0, accepted = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0;; ++i) {
    const auto due = t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(period * i);
    if (due - t0 >= std::chrono::duration<double>(seconds)) break;
    std::this_thread::sleep_until(due);
    auto out = (*s)->PutRecords(batch);
    if (!out.ok()) {
      std::fprintf(stderr, "put failed: %s\n", out.status().ToString().c_str());
      return 1;
    }
    offered += kBatch;
    accepted += kBatch - out->failed_record_count;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  nlohmann::ordered_json out = {{"offered", offered},
                                {"accepted", accepted},
                                {"throttled", offered - accepted},
                                {"seconds", elapsed},
                                {"bound", 1000 + static_cast<int>(1000 * elapsed)}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
