// Live quality: how the model does on the beers that actually arrive, measured against their real IBU.
// Per model version, over the most recent `window` scored beers with a known IBU: accuracy and macro-F1
// (macro over the bands present in truth or prediction, as scikit-learn's default). A version drifts when,
// with at least `min_samples` samples, its live macro-F1 is below its cross-validated macro-F1 (from the
// model metadata) by more than max(margin, 2·CV std). Also a rolling-accuracy series for the dashboard.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/predictions_table.h"

namespace brewline::server {

struct CvScore {
  double macro_f1 = 0, macro_f1_std = 0, accuracy = 0;
};

// Reads {"macro_f1":{"mean","std"},"accuracy":{"mean"}} from a model's metrics_json; nullopt when absent.
std::optional<CvScore> CvScoreFromMetrics(std::string_view metrics_json);

struct LiveQualityOptions {
  int window = 50;
  int min_samples = 20;
  double drift_margin = 0.10;
};

struct VersionQuality {
  int version = 0;
  int samples = 0;      // scored beers with a known IBU, all time
  int window = 0;       // of which in the rolling window
  double accuracy = 0;
  double macro_f1 = 0;
  std::optional<CvScore> cv;
  bool drift = false;
  std::string drift_reason;
};

struct QualityPoint {
  int64_t arrival_ms = 0;
  int version = 0;
  double accuracy = 0;  // rolling accuracy of that version up to and including this beer
};

struct LiveQualityReport {
  std::vector<VersionQuality> versions;  // ascending version
  std::vector<QualityPoint> series;      // oldest first, at most the last 500 points
};

// Macro-F1 over the labels present in truth ∪ predicted (0 for empty input).
double MacroF1(const std::vector<int>& truth, const std::vector<int>& predicted);

LiveQualityReport ComputeLiveQuality(const std::vector<QualitySample>& samples, const std::map<int, CvScore>& cv,
                                     const LiveQualityOptions& options = {});

// {"versions":[{version,samples,window,accuracy,macro_f1,cv_macro_f1,cv_macro_f1_std,cv_accuracy,drift,
//  drift_reason}],"series":[{t,version,accuracy}],"drift":bool}
std::string LiveQualityJson(const LiveQualityReport& report);

}  // namespace brewline::server
