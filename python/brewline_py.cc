// brewline_py: Python bindings for the IBU classifier (train, evaluate, predict) and the table (query, load).
// Values come back as dicts of numpy arrays / lists, ready for pandas.DataFrame(...). Errors become Python
// exceptions carrying the Status message: ValueError (bad input), NotFoundError, a LookupError (not found),
// PermissionError (a write through query), RuntimeError (rest).
// The GIL is released while C++ trains or evaluates.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/file_system.h"
#include "ml/evaluation.h"
#include "ml/ibu_classifier.h"
#include "ml/model_builder.h"
#include "ml/model_registry.h"
#include "ml/table_source.h"
#include "store/fs_object_store.h"
#include "table/cleaned_table.h"
#include "table/sql_query.h"

namespace py = pybind11;
using namespace brewline;

namespace {

PyObject* g_not_found = nullptr;  // brewline_py.NotFoundError (a LookupError), set at import

[[noreturn]] void Raise(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kOutOfRange:
      throw py::value_error(s.message());
    case StatusCode::kNotFound:
      PyErr_SetString(g_not_found, s.message().c_str());
      throw py::error_already_set();
    case StatusCode::kPermissionDenied:
      PyErr_SetString(PyExc_PermissionError, s.message().c_str());
      throw py::error_already_set();
    default:
      throw std::runtime_error(s.ToString());
  }
}

template <typename T>
T Check(Result<T> r) {
  if (!r.ok()) Raise(r.status());
  return std::move(r).value();
}

std::vector<beer::CleanedBeer> LoadBeers(const std::string& data_dir, const std::string& csv) {
  if (csv.empty()) return Check(ml::ReadBeersFromTable(data_dir));
  auto text = Check(PosixFileSystem::Get().ReadFile(csv));
  return Check(ml::ReadCleanedCsv(text));
}

ml::Hyperparameters Hp(const py::dict& kw) {
  ml::Hyperparameters hp;
  for (auto item : kw) {
    const std::string k = py::str(item.first);
    py::handle v = item.second;
    if (k == "eta") hp.eta = v.cast<double>();
    else if (k == "max_depth") hp.max_depth = v.cast<int>();
    else if (k == "subsample") hp.subsample = v.cast<double>();
    else if (k == "colsample_bytree") hp.colsample_bytree = v.cast<double>();
    else if (k == "min_child_weight") hp.min_child_weight = v.cast<double>();
    else if (k == "reg_lambda") hp.lambda = v.cast<double>();
    else if (k == "gamma") hp.gamma = v.cast<double>();
    else if (k == "rounds") hp.rounds = v.cast<int>();
    else if (k == "class_weight_power") hp.class_weight_power = v.cast<double>();
    else if (k == "prior_correction") hp.prior_correction = v.cast<double>();
    else if (k == "seed") hp.seed = v.cast<uint64_t>();
    else if (k == "forest_trees") hp.forest_trees = v.cast<int>();
    else if (k == "forest_max_features") hp.forest_max_features = v.cast<double>();
    else if (k == "forest_min_samples_leaf") hp.forest_min_samples_leaf = v.cast<int>();
    else if (k == "forest_weight") hp.forest_weight = v.cast<double>();
    else throw py::value_error("unknown hyperparameter '" + k + "'");
  }
  return hp;
}

py::array_t<double> Matrix(const std::vector<std::vector<int>>& m) {
  const size_t n = m.size();
  py::array_t<double> out({n, n});
  auto w = out.mutable_unchecked<2>();
  for (size_t i = 0; i < n; ++i) for (size_t j = 0; j < n; ++j) w(i, j) = m[i][j];
  return out;
}

py::dict DatasetDict(const ml::Dataset& d) {
  py::dict out;
  out["id"] = py::array_t<int64_t>(d.ids.size(), d.ids.data());
  out["name"] = d.names;
  out["ibu"] = py::array_t<double>(d.ibu.size(), d.ibu.data());
  out["band"] = py::array_t<int>(d.band.size(), d.band.data());
  py::array_t<float> x({static_cast<size_t>(d.rows()), static_cast<size_t>(ml::kNumFeatures)});
  std::copy(d.features.begin(), d.features.end(), x.mutable_data());
  out["features"] = x;
  out["cleaning"] = py::dict(py::arg("ibu_equal_to_og") = d.cleaning.ibu_equal_to_og,
                             py::arg("ph_out_of_range") = d.cleaning.ph_out_of_range,
                             py::arg("fg_above_og_swapped") = d.cleaning.fg_above_og_swapped);
  return out;
}

py::list FeatureNames() {
  py::list names;
  for (auto n : ml::kFeatureNames) names.append(std::string(n));
  return names;
}

py::dict Dataset(const std::string& data_dir, const std::string& csv, const std::string& bands, bool cleaning) {
  auto beers = LoadBeers(data_dir, csv);
  auto b = Check(ml::Bands::Parse(bands));
  auto data = Check(ml::BuildDataset(beers, b, cleaning ? ml::CleaningOptions{} : ml::CleaningOptions::None()));
  py::dict out = DatasetDict(data);
  out["feature_names"] = FeatureNames();
  return out;
}

py::dict Evaluate(const std::string& data_dir, const std::string& csv, const std::string& bands, int folds,
                  int repeats, bool cleaning, const py::kwargs& kw) {
  auto beers = LoadBeers(data_dir, csv);
  auto b = Check(ml::Bands::Parse(bands));
  const ml::Hyperparameters hp = Hp(kw);
  auto data = Check(ml::BuildDataset(beers, b, cleaning ? ml::CleaningOptions{} : ml::CleaningOptions::None()));
  auto f = Check(ml::MakeStratifiedFolds(data.band, b, folds, repeats, hp.seed));
  ml::CvReport report = Check([&] {
    py::gil_scoped_release release;
    return ml::CrossValidate(data, b, f, hp);
  }());
  py::dict out;
  out["report"] = py::module_::import("json").attr("loads")(ml::CvReportJson(report, b));
  out["dataset"] = DatasetDict(data);
  py::array_t<int> fold_matrix({static_cast<size_t>(repeats), static_cast<size_t>(data.rows())});
  for (int r = 0; r < repeats; ++r) std::copy(f.assignment[r].begin(), f.assignment[r].end(), fold_matrix.mutable_data(r, 0));
  out["folds"] = fold_matrix;
  std::vector<int> rep, fold, row, pred;
  std::vector<double> pred_ibu;
  for (const auto& p : report.oof) {
    rep.push_back(p.repeat);
    fold.push_back(p.fold);
    row.push_back(p.row);
    pred.push_back(p.predicted_band);
    pred_ibu.push_back(p.predicted_ibu);
  }
  py::dict oof;
  oof["repeat"] = rep;
  oof["fold"] = fold;
  oof["row"] = row;
  oof["predicted_band"] = pred;
  oof["predicted_ibu"] = pred_ibu;
  out["oof"] = oof;
  out["confusion"] = Matrix(report.pooled.confusion);
  out["band_labels"] = [&] {
    py::list l;
    for (int i = 0; i < b.count(); ++i) l.append(b.label(i));
    return l;
  }();
  return out;
}

py::dict Train(const std::string& data_dir, const std::string& csv, const std::string& bands, bool evaluate, int folds,
               int repeats, const py::kwargs& kw) {
  auto beers = LoadBeers(data_dir, csv);
  ml::TrainRequest req;
  req.bands = Check(ml::Bands::Parse(bands));
  req.hp = Hp(kw);
  req.evaluate = evaluate;
  req.folds = folds;
  req.repeats = repeats;
  ml::TrainOutcome outcome = Check([&] {
    py::gil_scoped_release release;
    return ml::BuildModel(beers, req, SystemClock::Get().NowMillis());
  }());
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  ml::ModelRegistry registry(store);
  const int version = Check(registry.Publish(outcome.model_json, &outcome.metadata, outcome.forest_json));
  py::dict out;
  out["version"] = version;
  out["metadata"] = py::module_::import("json").attr("loads")(ml::MetadataToJson(outcome.metadata));
  return out;
}

// rows: a mapping of column → sequence (a pandas DataFrame or a dict), with the cleaned columns
// (id, name optional; the six measures; missing as None/NaN).
py::dict Predict(const std::string& data_dir, const py::object& rows, std::optional<int> version) {
  auto column = [&](const char* name) -> std::optional<py::list> {
    if (!py::bool_(rows.attr("__contains__")(name))) return std::nullopt;
    return py::list(rows[py::str(name)]);
  };
  const char* measures[] = {"abv", "target_fg", "target_og", "ebc", "srm", "ph"};
  std::vector<std::optional<py::list>> cols;
  size_t n = 0;
  for (const char* m : measures) {
    cols.push_back(column(m));
    if (!cols.back()) throw py::value_error(std::string("predict: missing column '") + m + "'");
    n = cols.back()->size();
  }
  auto ids = column("id");
  auto names = column("name");  // optional: the style and hop words of the name are features
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  auto clf = Check(ml::IbuClassifier::Load(store, version));
  const int k = clf->bands().count();
  std::vector<int> band(n);
  std::vector<double> low(n), high(n);
  py::array_t<float> probs({n, static_cast<size_t>(k)});
  ml::Prediction p;
  for (size_t i = 0; i < n; ++i) {
    beer::CleanedBeer b;
    b.id = ids ? (*ids)[i].cast<int64_t>() : static_cast<int64_t>(i + 1);
    if (names && py::isinstance<py::str>((*names)[i])) b.name = (*names)[i].cast<std::string>();
    std::optional<double>* fields[] = {&b.abv, &b.target_fg, &b.target_og, &b.ebc, &b.srm, &b.ph};
    for (int c = 0; c < 6; ++c) {
      py::handle v = (*cols[c])[i];
      if (!v.is_none()) {
        const double d = v.cast<double>();
        if (!std::isnan(d)) *fields[c] = d;
      }
    }
    Status s = clf->PredictInto(b, &p);
    if (!s.ok()) Raise(s);
    band[i] = p.band;
    low[i] = p.band_low;
    high[i] = p.band_high;
    std::copy(p.probabilities.begin(), p.probabilities.end(), probs.mutable_data(i, 0));
  }
  py::dict out;
  out["band"] = py::array_t<int>(n, band.data());
  out["band_low"] = py::array_t<double>(n, low.data());
  out["band_high"] = py::array_t<double>(n, high.data());
  out["probabilities"] = probs;
  py::list labels;
  py::list band_names;
  for (int i = 0; i < k; ++i) {
    labels.append(clf->bands().label(i));
    band_names.append(clf->bands().name(i));
  }
  out["band_labels"] = labels;
  out["band_names"] = band_names;
  out["version"] = clf->version();
  return out;
}

py::dict FeatureImportance(const std::string& data_dir, std::optional<int> version) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  auto clf = Check(ml::IbuClassifier::Load(store, version));
  py::dict out;
  for (const auto& [name, gain] : Check(clf->FeatureGain())) out[py::str(name)] = gain;
  return out;
}

py::list ListModels(const std::string& data_dir) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  ml::ModelRegistry registry(store);
  py::list out;
  auto json_loads = py::module_::import("json").attr("loads");
  for (int v : Check(registry.ListVersions())) out.append(json_loads(Check(registry.GetMetadataJson(v))));
  return out;
}

// Read-only SQL over the table → {column: list}.
py::dict Query(const std::string& data_dir, const std::string& sql) {
  auto result = Check(table::RunReadOnlyQuery(table::CleanedTable::DbPath(data_dir), sql));
  py::dict out;
  for (size_t c = 0; c < result.columns.size(); ++c) {
    py::list values;
    for (const auto& row : result.rows) {
      const table::SqlValue& v = row[c];
      switch (v.type) {
        case table::SqlValue::Type::kNull: values.append(py::none()); break;
        case table::SqlValue::Type::kInteger: values.append(v.i); break;
        case table::SqlValue::Type::kReal: values.append(v.d); break;
        case table::SqlValue::Type::kText: values.append(v.text); break;
        case table::SqlValue::Type::kBlob: values.append(py::bytes(v.text)); break;
      }
    }
    out[py::str(result.columns[c])] = values;
  }
  return out;
}

int LoadDataset(const std::string& data_dir, const std::string& json_path) {
  auto text = Check(PosixFileSystem::Get().ReadFile(json_path));
  return Check(ml::LoadDatasetIntoTable(PosixFileSystem::Get(), SystemClock::Get(), data_dir, text));
}

}  // namespace

PYBIND11_MODULE(brewline_py, m) {
  m.doc() = "brewline: the IBU classifier (XGBoost, C++) and the cleaned table, from Python";
  m.attr("feature_names") = FeatureNames();
  static py::exception<std::runtime_error> not_found(m, "NotFoundError", PyExc_LookupError);
  g_not_found = not_found.ptr();
  m.def("load_dataset_into_table", &LoadDataset, py::arg("data_dir"), py::arg("json_path"),
        "Run a Punk API JSON array through the cleaned transform into bucket `cleaned` and sync the table.");
  m.def("query", &Query, py::arg("data_dir"), py::arg("sql"), "Read-only SQL over the table: {column: list}.");
  m.def("dataset", &Dataset, py::arg("data_dir") = "", py::arg("csv") = "", py::arg("bands") = "20,40,60,80,100",
        py::arg("cleaning") = true, "The labelled training rows with the model's features (numpy).");
  m.def("evaluate", &Evaluate, py::arg("data_dir") = "", py::arg("csv") = "", py::arg("bands") = "20,40,60,80,100",
        py::arg("folds") = 5, py::arg("repeats") = 5, py::arg("cleaning") = true,
        "Repeated stratified k-fold CV; returns the report, the fold matrix (repeats × rows) and OOF predictions. "
        "Hyperparameters as keyword arguments (eta, max_depth, rounds, seed, …).");
  m.def("train", &Train, py::arg("data_dir"), py::arg("csv") = "", py::arg("bands") = "20,40,60,80,100",
        py::arg("evaluate") = true, py::arg("folds") = 5, py::arg("repeats") = 5,
        "Train and publish a model version in bucket models; returns {version, metadata}.");
  m.def("predict", &Predict, py::arg("data_dir"), py::arg("rows"), py::arg("version") = py::none(),
        "Predict bands for rows (a DataFrame or dict of columns abv,target_fg,target_og,ebc,srm,ph[,id][,name]).");
  m.def("feature_importance", &FeatureImportance, py::arg("data_dir"), py::arg("version") = py::none());
  m.def("list_models", &ListModels, py::arg("data_dir"));
}
