#include "server/live_quality.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <nlohmann/json.hpp>
#include <set>

namespace brewline::server {

std::optional<CvScore> CvScoreFromMetrics(std::string_view metrics_json) {
  nlohmann::json j = nlohmann::json::parse(metrics_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto mean_of = [&](const char* key, const char* field) -> std::optional<double> {
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return std::nullopt;
    auto f = it->find(field);
    if (f == it->end() || !f->is_number()) return std::nullopt;
    return f->get<double>();
  };
  auto f1 = mean_of("macro_f1", "mean");
  if (!f1) return std::nullopt;
  CvScore s;
  s.macro_f1 = *f1;
  s.macro_f1_std = mean_of("macro_f1", "std").value_or(0);
  s.accuracy = mean_of("accuracy", "mean").value_or(0);
  return s;
}

double MacroF1(const std::vector<int>& truth, const std::vector<int>& predicted) {
  std::set<int> labels(truth.begin(), truth.end());
  labels.insert(predicted.begin(), predicted.end());
  if (labels.empty()) return 0;
  double sum = 0;
  for (int label : labels) {
    int tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < truth.size(); ++i) {
      const bool t = truth[i] == label, p = predicted[i] == label;
      tp += t && p;
      fp += !t && p;
      fn += t && !p;
    }
    const double denom = 2.0 * tp + fp + fn;
    sum += denom == 0 ? 0 : 2.0 * tp / denom;
  }
  return sum / static_cast<double>(labels.size());
}

LiveQualityReport ComputeLiveQuality(const std::vector<QualitySample>& samples, const std::map<int, CvScore>& cv,
                                     const LiveQualityOptions& options) {
  LiveQualityReport report;
  const size_t window = static_cast<size_t>(std::max(1, options.window));
  struct Rolling {
    std::deque<std::pair<int, int>> recent;  // (actual, predicted)
    int samples = 0;
    int correct = 0;  // in `recent`
  };
  std::map<int, Rolling> by_version;
  for (const QualitySample& s : samples) {
    Rolling& r = by_version[s.model_version];
    r.samples++;
    r.recent.emplace_back(s.actual, s.predicted);
    r.correct += s.actual == s.predicted;
    if (r.recent.size() > window) {
      r.correct -= r.recent.front().first == r.recent.front().second;
      r.recent.pop_front();
    }
    report.series.push_back({s.arrival_ms, s.model_version, static_cast<double>(r.correct) / r.recent.size()});
  }
  constexpr size_t kMaxPoints = 500;
  if (report.series.size() > kMaxPoints) {
    report.series.erase(report.series.begin(), report.series.end() - kMaxPoints);
  }
  for (const auto& [version, r] : by_version) {
    VersionQuality q;
    q.version = version;
    q.samples = r.samples;
    q.window = static_cast<int>(r.recent.size());
    std::vector<int> truth, predicted;
    for (const auto& [a, p] : r.recent) {
      truth.push_back(a);
      predicted.push_back(p);
    }
    q.accuracy = q.window > 0 ? static_cast<double>(r.correct) / q.window : 0;
    q.macro_f1 = MacroF1(truth, predicted);
    if (auto it = cv.find(version); it != cv.end()) q.cv = it->second;
    if (q.cv && q.window >= options.min_samples) {
      const double allowed = std::max(options.drift_margin, 2 * q.cv->macro_f1_std);
      if (q.macro_f1 < q.cv->macro_f1 - allowed) {
        q.drift = true;
        char buf[160];
        std::snprintf(buf, sizeof buf, "live macro-F1 %.3f is below the cross-validated %.3f by more than %.3f",
                      q.macro_f1, q.cv->macro_f1, allowed);
        q.drift_reason = buf;
      }
    }
    report.versions.push_back(std::move(q));
  }
  return report;
}

std::string LiveQualityJson(const LiveQualityReport& report) {
  nlohmann::ordered_json j;
  nlohmann::ordered_json versions = nlohmann::ordered_json::array();
  bool drift = false;
  for (const VersionQuality& q : report.versions) {
    nlohmann::ordered_json v;
    v["version"] = q.version;
    v["samples"] = q.samples;
    v["window"] = q.window;
    v["accuracy"] = q.accuracy;
    v["macro_f1"] = q.macro_f1;
    v["cv_macro_f1"] = q.cv ? nlohmann::ordered_json(q.cv->macro_f1) : nlohmann::ordered_json(nullptr);
    v["cv_macro_f1_std"] = q.cv ? nlohmann::ordered_json(q.cv->macro_f1_std) : nlohmann::ordered_json(nullptr);
    v["cv_accuracy"] = q.cv ? nlohmann::ordered_json(q.cv->accuracy) : nlohmann::ordered_json(nullptr);
    v["drift"] = q.drift;
    v["drift_reason"] = q.drift_reason;
    drift = drift || q.drift;
    versions.push_back(std::move(v));
  }
  nlohmann::ordered_json series = nlohmann::ordered_json::array();
  for (const QualityPoint& p : report.series) {
    series.push_back({{"t", p.arrival_ms}, {"version", p.version}, {"accuracy", p.accuracy}});
  }
  j["versions"] = std::move(versions);
  j["series"] = std::move(series);
  j["drift"] = drift;
  return j.dump();
}

}  // namespace brewline::server
