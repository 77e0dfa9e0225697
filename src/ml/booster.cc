#include "ml/booster.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace brewline::ml {
namespace {

// XGBoost's message without its multi-line stack trace (errors here are one line).
std::string LastError() {
  std::string msg = XGBGetLastError();
  const size_t nl = msg.find('\n');
  if (nl != std::string::npos) msg.resize(nl);
  return msg;
}

Status XgbError(std::string_view what) { return Internal("xgboost " + std::string(what) + ": " + LastError()); }

// Frees a DMatrix on scope exit.
struct DMatrixGuard {
  DMatrixHandle h = nullptr;
  ~DMatrixGuard() {
    if (h) XGDMatrixFree(h);
  }
};

}  // namespace

Booster::Booster(Booster&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), proxy_(std::exchange(other.proxy_, nullptr)) {}

Booster& Booster::operator=(Booster&& other) noexcept {
  if (this != &other) {
    Reset();
    handle_ = std::exchange(other.handle_, nullptr);
    proxy_ = std::exchange(other.proxy_, nullptr);
  }
  return *this;
}

Booster::~Booster() { Reset(); }

void Booster::Reset() {
  if (handle_) XGBoosterFree(handle_);
  if (proxy_) XGDMatrixFree(proxy_);
  handle_ = proxy_ = nullptr;
}

Result<Booster> Booster::Train(const std::vector<float>& features, int rows, int cols,
                               const std::vector<float>& labels, const std::vector<float>& weights,
                               const BoosterParams& params, int rounds) {
  if (rows <= 0 || cols <= 0 || features.size() != static_cast<size_t>(rows) * cols ||
      labels.size() != static_cast<size_t>(rows) || (!weights.empty() && weights.size() != labels.size())) {
    return InvalidArgument("xgboost train: inconsistent matrix shape");
  }
  DMatrixGuard dtrain;
  if (XGDMatrixCreateFromMat(features.data(), rows, cols, std::numeric_limits<float>::quiet_NaN(), &dtrain.h)) {
    return XgbError("create matrix");
  }
  if (XGDMatrixSetFloatInfo(dtrain.h, "label", labels.data(), rows)) return XgbError("set labels");
  if (!weights.empty() && XGDMatrixSetFloatInfo(dtrain.h, "weight", weights.data(), rows)) {
    return XgbError("set weights");
  }
  BoosterHandle h = nullptr;
  if (XGBoosterCreate(&dtrain.h, 1, &h)) return XgbError("create booster");
  DMatrixHandle proxy = nullptr;
  if (XGProxyDMatrixCreate(&proxy)) {
    XGBoosterFree(h);
    return XgbError("create proxy matrix");
  }
  Booster booster(h, proxy);
  for (const auto& [k, v] : params) {
    if (XGBoosterSetParam(h, k.c_str(), v.c_str())) return XgbError("set parameter " + k);
  }
  for (int i = 0; i < rounds; ++i) {
    if (XGBoosterUpdateOneIter(h, i, dtrain.h)) return XgbError("training round " + std::to_string(i));
  }
  return booster;
}

Result<Booster> Booster::LoadJson(std::string_view json) {
  BoosterHandle h = nullptr;
  if (XGBoosterCreate(nullptr, 0, &h)) return XgbError("create booster");
  DMatrixHandle proxy = nullptr;
  if (XGProxyDMatrixCreate(&proxy)) {
    XGBoosterFree(h);
    return XgbError("create proxy matrix");
  }
  Booster booster(h, proxy);
  // XGBoost sniffs the format from the first byte ('{' = JSON); reject anything else up front so a binary
  // or truncated file is not half-parsed.
  if (json.empty() || json.front() != '{') return Corruption("model.json is not an XGBoost JSON model");
  if (XGBoosterLoadModelFromBuffer(h, json.data(), json.size())) {
    return Corruption("model.json is corrupt: " + LastError());
  }
  return booster;
}

Result<std::string> Booster::SaveJson() const {
  bst_ulong len = 0;
  const char* buf = nullptr;
  if (XGBoosterSaveModelToBuffer(handle_, R"({"format":"json"})", &len, &buf)) return XgbError("save model");
  return std::string(buf, len);
}

Status Booster::SetParam(const std::string& name, const std::string& value) {
  if (XGBoosterSetParam(handle_, name.c_str(), value.c_str())) return XgbError("set parameter " + name);
  return Status::OK();
}

Status Booster::Predict(const float* features, int rows, int cols, std::vector<float>* out) const {
  // The array-interface and config JSON go into stack buffers: no heap work on the single-row path.
  char array[192];
  std::snprintf(array, sizeof array,
                R"({"data":[%llu,true],"shape":[%d,%d],"typestr":"<f4","version":3})",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(features)), rows, cols);
  static constexpr char kConfig[] =
      R"({"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false,"cache_id":0,"missing":NaN})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDense(handle_, array, kConfig, proxy_, &shape, &dim, &result)) {
    return XgbError("predict");
  }
  size_t n = 1;
  for (bst_ulong i = 0; i < dim; ++i) n *= shape[i];
  out->assign(result, result + n);
  return Status::OK();
}

Result<std::map<std::string, double>> Booster::FeatureGain(const std::vector<std::string>& feature_names) const {
  // The booster has no feature names (setting them would change what in-place prediction validates), so
  // XGBoost reports "f<index>"; map those to our names.
  bst_ulong n_features = 0, out_dim = 0;
  const char** out_features = nullptr;
  const bst_ulong* out_shape = nullptr;
  const float* scores = nullptr;
  if (XGBoosterFeatureScore(handle_, R"({"importance_type":"total_gain"})", &n_features, &out_features, &out_dim,
                            &out_shape, &scores)) {
    return XgbError("feature score");
  }
  std::map<std::string, double> gain;
  for (bst_ulong i = 0; i < n_features; ++i) {
    std::string name = out_features[i];
    if (name.size() > 1 && name[0] == 'f') {
      const size_t index = std::strtoul(name.c_str() + 1, nullptr, 10);
      if (index < feature_names.size()) name = feature_names[index];
    }
    gain[name] = scores[i];
  }
  return gain;
}

int Booster::boosted_rounds() const {
  int rounds = 0;
  XGBoosterBoostedRounds(handle_, &rounds);
  return rounds;
}

std::string XgboostVersion() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace brewline::ml
