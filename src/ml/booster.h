// Booster: RAII over an XGBoost booster through the C API, so that no XGBoost type appears in ml's headers.
// Errors from XGBoost (XGBGetLastError) come back as Status values.
//
// Thread-safety: Train/Load produce a new object; Predict on one Booster must be serialised by the caller
// (it reuses a proxy matrix and XGBoost's per-booster output buffer). Movable, not copyable.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace brewline::ml {

using BoosterParams = std::vector<std::pair<std::string, std::string>>;

class Booster {
 public:
  Booster(Booster&& other) noexcept;
  Booster& operator=(Booster&& other) noexcept;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;
  ~Booster();

  // Trains `rounds` boosting rounds on a dense row-major matrix (NaN = missing). `weights` may be empty.
  static Result<Booster> Train(const std::vector<float>& features, int rows, int cols,
                               const std::vector<float>& labels, const std::vector<float>& weights,
                               const BoosterParams& params, int rounds);
  // Loads a model saved by SaveJson. A corrupt buffer is a Corruption status.
  static Result<Booster> LoadJson(std::string_view json);
  Result<std::string> SaveJson() const;

  // Predicts `rows` rows of `cols` features into *out (resized to rows × outputs; outputs = classes for
  // multi:softprob, 1 for regression). Allocation-free when *out already has the size.
  Status Predict(const float* features, int rows, int cols, std::vector<float>* out) const;
  // Sets a parameter after training/loading (e.g. nthread=1 for single-row serving).
  Status SetParam(const std::string& name, const std::string& value);
  // Total gain per feature name (features never used in a split are absent).
  Result<std::map<std::string, double>> FeatureGain(const std::vector<std::string>& feature_names) const;
  int boosted_rounds() const;

 private:
  Booster(void* handle, void* proxy) : handle_(handle), proxy_(proxy) {}
  void Reset();
  void* handle_ = nullptr;  // BoosterHandle
  void* proxy_ = nullptr;   // DMatrixHandle proxy for in-place prediction
};

// "1.7.4" as reported by the linked library.
std::string XgboostVersion();

}  // namespace brewline::ml
