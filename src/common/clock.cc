#include "common/clock.h"

namespace brewline {

void StopSignal::RequestStop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

bool StopSignal::WaitFor(std::chrono::nanoseconds d) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, d, [this] { return stopped_.load(std::memory_order_acquire); });
}

SystemClock& SystemClock::Get() {
  static SystemClock clock;
  return clock;
}

int64_t SystemClock::NowMillis() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t SystemClock::MonotonicNanos() const {
  using namespace std::chrono;
  return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

bool SystemClock::SleepFor(std::chrono::milliseconds d, const StopSignal* stop) {
  if (stop != nullptr) return stop->WaitFor(d);
  std::mutex mu;
  std::condition_variable cv;
  std::unique_lock<std::mutex> lock(mu);
  cv.wait_for(lock, d);
  return false;
}

bool FakeClock::SleepFor(std::chrono::milliseconds d, const StopSignal* stop) {
  if (stop != nullptr && stop->stop_requested()) return true;
  now_ms_ += d.count();
  return stop != nullptr && stop->stop_requested();
}

}  // namespace brewline
