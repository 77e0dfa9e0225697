#include "ml/evaluation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>

#include <nlohmann/json.hpp>

#include "beer/csv.h"

namespace brewline::ml {
namespace {

MeanStd Summarise(const std::vector<double>& v) {
  MeanStd out;
  if (v.empty()) return out;
  for (double x : v) out.mean += x;
  out.mean /= v.size();
  for (double x : v) out.std += (x - out.mean) * (x - out.mean);
  out.std = v.size() > 1 ? std::sqrt(out.std / (v.size() - 1)) : 0;
  return out;
}

nlohmann::json MsJson(const MeanStd& m) { return {{"mean", m.mean}, {"std", m.std}}; }

}  // namespace

Result<Folds> MakeStratifiedFolds(const std::vector<int>& band, const Bands& bands, int k, int repeats,
                                  uint64_t seed) {
  if (k < 2) return InvalidArgument("folds must be at least 2");
  if (repeats < 1) return InvalidArgument("repeats must be at least 1");
  std::vector<std::vector<int>> by_band(bands.count());
  for (size_t i = 0; i < band.size(); ++i) by_band[band[i]].push_back(static_cast<int>(i));
  for (int b = 0; b < bands.count(); ++b) {
    if (static_cast<int>(by_band[b].size()) < k) {
      return InvalidArgument("band " + bands.label(b) + " has " + std::to_string(by_band[b].size()) +
                             " rows, fewer than the " + std::to_string(k) +
                             " folds; use fewer folds or other band edges");
    }
  }
  Folds folds{k, repeats, seed, {}};
  for (int r = 0; r < repeats; ++r) {
    std::mt19937_64 rng(seed * 1000003ULL + static_cast<uint64_t>(r));
    std::vector<int> assignment(band.size(), -1);
    int next = 0;  // continues across bands so fold sizes stay balanced overall
    for (auto rows : by_band) {
      std::shuffle(rows.begin(), rows.end(), rng);
      for (int row : rows) assignment[row] = next++ % k;
    }
    folds.assignment.push_back(std::move(assignment));
  }
  return folds;
}

std::string FoldsCsv(const Dataset& data, const Folds& folds) {
  std::string out = "id,repeat,fold\n";
  for (int r = 0; r < folds.repeats; ++r) {
    for (int i = 0; i < data.rows(); ++i) {
      out += std::to_string(data.ids[i]) + "," + std::to_string(r) + "," + std::to_string(folds.assignment[r][i]) + "\n";
    }
  }
  return out;
}

Metrics ComputeMetrics(const std::vector<int>& truth, const std::vector<int>& predicted, int k) {
  Metrics m;
  m.rows = static_cast<int>(truth.size());
  m.confusion.assign(k, std::vector<int>(k, 0));
  int correct = 0, near = 0;
  for (size_t i = 0; i < truth.size(); ++i) {
    m.confusion[truth[i]][predicted[i]]++;
    correct += truth[i] == predicted[i];
    near += std::abs(truth[i] - predicted[i]) <= 1;
  }
  m.accuracy = m.rows ? static_cast<double>(correct) / m.rows : 0;
  m.within_one_band = m.rows ? static_cast<double>(near) / m.rows : 0;
  for (int b = 0; b < k; ++b) {
    int tp = m.confusion[b][b], pred = 0, actual = 0;
    for (int o = 0; o < k; ++o) {
      pred += m.confusion[o][b];
      actual += m.confusion[b][o];
    }
    const double p = pred ? static_cast<double>(tp) / pred : 0;
    const double r = actual ? static_cast<double>(tp) / actual : 0;
    m.precision.push_back(p);
    m.recall.push_back(r);
    m.f1.push_back(p + r > 0 ? 2 * p * r / (p + r) : 0);
    m.macro_f1 += m.f1.back() / k;
  }
  return m;
}

Result<CvReport> CrossValidate(const Dataset& data, const Bands& bands, const Folds& folds, const Hyperparameters& hp,
                               const CvOptions& options) {
  const int k = bands.count();
  if (folds.assignment.empty() || folds.assignment[0].size() != static_cast<size_t>(data.rows())) {
    return InvalidArgument("fold assignment does not match the data");
  }
  CvReport report;
  report.k = folds.k;
  report.repeats = folds.repeats;
  report.rows = data.rows();
  std::vector<double> acc, f1, near, mae, reg_f1;
  std::vector<int> all_truth, all_pred;
  std::vector<float> probs, reg_out;
  for (int r = 0; r < folds.repeats; ++r) {
    for (int f = 0; f < folds.k; ++f) {
      std::vector<int> train, test;
      for (int i = 0; i < data.rows(); ++i) (folds.assignment[r][i] == f ? test : train).push_back(i);
      ASSIGN_OR_RETURN(TrainedClassifier clf, TrainClassifier(data, train, bands, hp));
      std::vector<float> x;
      for (int i : test) x.insert(x.end(), data.row(i), data.row(i) + kNumFeatures);
      const int n = static_cast<int>(test.size());
      RETURN_IF_ERROR(clf.PredictProbabilities(x.data(), n, &probs));
      std::vector<int> truth, pred, reg_pred;
      double abs_err = 0;
      if (options.regression) {
        ASSIGN_OR_RETURN(Booster reg, TrainRegressor(data, train, hp));
        RETURN_IF_ERROR(reg.Predict(x.data(), n, kNumFeatures, &reg_out));
      }
      for (int j = 0; j < n; ++j) {
        const int row = test[j];
        const int band = DecideBand(clf.correction, probs.data() + static_cast<size_t>(j) * k, k);
        truth.push_back(data.band[row]);
        pred.push_back(band);
        const double ibu_hat = options.regression ? std::max(0.0f, reg_out[j]) : std::nan("");
        if (options.regression) {
          abs_err += std::fabs(ibu_hat - data.ibu[row]);
          reg_pred.push_back(bands.BandOf(ibu_hat));
        }
        report.oof.push_back({r, f, row, band, ibu_hat});
      }
      Metrics m = ComputeMetrics(truth, pred, k);
      acc.push_back(m.accuracy);
      f1.push_back(m.macro_f1);
      near.push_back(m.within_one_band);
      if (options.regression) {
        mae.push_back(abs_err / n);
        reg_f1.push_back(ComputeMetrics(truth, reg_pred, k).macro_f1);
      }
      all_truth.insert(all_truth.end(), truth.begin(), truth.end());
      all_pred.insert(all_pred.end(), pred.begin(), pred.end());
    }
  }
  report.accuracy = Summarise(acc);
  report.macro_f1 = Summarise(f1);
  report.within_one_band = Summarise(near);
  report.mae_ibu = Summarise(mae);
  report.regression_band_macro_f1 = Summarise(reg_f1);
  report.pooled = ComputeMetrics(all_truth, all_pred, k);
  return report;
}

std::string CvReportJson(const CvReport& r, const Bands& bands) {
  nlohmann::json j;
  j["folds"] = r.k;
  j["repeats"] = r.repeats;
  j["rows"] = r.rows;
  j["accuracy"] = MsJson(r.accuracy);
  j["macro_f1"] = MsJson(r.macro_f1);
  j["within_one_band"] = MsJson(r.within_one_band);
  j["mae_ibu"] = MsJson(r.mae_ibu);
  j["regression_band_macro_f1"] = MsJson(r.regression_band_macro_f1);
  nlohmann::json per_band = nlohmann::json::array();
  for (int b = 0; b < bands.count(); ++b) {
    per_band.push_back({{"band", bands.label(b)},
                        {"precision", r.pooled.precision[b]},
                        {"recall", r.pooled.recall[b]},
                        {"f1", r.pooled.f1[b]}});
  }
  j["per_band"] = per_band;
  j["confusion"] = r.pooled.confusion;
  return j.dump(2);
}

std::string CvReportSummary(const CvReport& r, const Bands& bands) {
  char buf[256];
  std::string out;
  std::snprintf(buf, sizeof buf, "%d×%d-fold CV on %d rows\n", r.repeats, r.k, r.rows);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "macro-F1 %.3f ± %.3f   accuracy %.3f ± %.3f   within-one-band %.3f   MAE %.1f IBU (regression)\n",
                r.macro_f1.mean, r.macro_f1.std, r.accuracy.mean, r.accuracy.std, r.within_one_band.mean,
                r.mae_ibu.mean);
  out += buf;
  out += "band        precision  recall  f1\n";
  for (int b = 0; b < bands.count(); ++b) {
    std::snprintf(buf, sizeof buf, "%-11s %9.3f  %6.3f  %.3f\n", bands.label(b).c_str(), r.pooled.precision[b],
                  r.pooled.recall[b], r.pooled.f1[b]);
    out += buf;
  }
  return out;
}

std::string OofCsv(const CvReport& report, const Dataset& data) {
  std::string out = "repeat,fold,id,name,ibu,band,predicted_band,predicted_ibu\n";
  for (const OofPrediction& p : report.oof) {
    out += std::to_string(p.repeat) + "," + std::to_string(p.fold) + "," + std::to_string(data.ids[p.row]) + ",";
    beer::AppendCsvText(&out, data.names[p.row]);
    out += ",";
    beer::AppendCsvNumber(&out, data.ibu[p.row]);
    out += "," + std::to_string(data.band[p.row]) + "," + std::to_string(p.predicted_band) + ",";
    if (std::isnan(p.predicted_ibu)) {
      out += "\n";
    } else {
      beer::AppendCsvNumber(&out, p.predicted_ibu);
      out += "\n";
    }
  }
  return out;
}

}  // namespace brewline::ml
