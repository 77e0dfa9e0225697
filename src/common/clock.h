// Clock: the time seam. Everything that reads the time or waits takes a Clock&, so tests can drive time with
// FakeClock instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace brewline {

// A cooperative stop flag that a waiting thread can be woken by (SIGTERM, --for elapsed, test teardown).
// Thread-safe.
class StopSignal {
 public:
  void RequestStop();
  bool stop_requested() const { return stopped_.load(std::memory_order_acquire); }
  // Waits up to `d` of real time; returns true if a stop was requested (before or during the wait).
  bool WaitFor(std::chrono::nanoseconds d) const;

 private:
  std::atomic<bool> stopped_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
};

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time in milliseconds since the Unix epoch (UTC).
  virtual int64_t NowMillis() const = 0;
  // A monotonic reading in nanoseconds, for measuring intervals and timeouts.
  virtual int64_t MonotonicNanos() const = 0;
  // Waits `d` (or until `stop` is requested, when given). Returns true if a stop was requested.
  virtual bool SleepFor(std::chrono::milliseconds d, const StopSignal* stop = nullptr) = 0;
};

// The real clock. Stateless and thread-safe; use SystemClock::Get().
class SystemClock final : public Clock {
 public:
  static SystemClock& Get();
  int64_t NowMillis() const override;
  int64_t MonotonicNanos() const override;
  bool SleepFor(std::chrono::milliseconds d, const StopSignal* stop = nullptr) override;
};

// A manual clock for tests. SleepFor advances the clock by the slept amount and returns at once, so code that
// sleeps runs deterministically. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ms = 1700000000000) : now_ms_(now_ms) {}
  int64_t NowMillis() const override { return now_ms_.load(); }
  int64_t MonotonicNanos() const override { return now_ms_.load() * 1000000; }
  bool SleepFor(std::chrono::milliseconds d, const StopSignal* stop = nullptr) override;
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }
  void SetMillis(int64_t ms) { now_ms_ = ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace brewline
