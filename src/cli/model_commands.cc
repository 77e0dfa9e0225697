// `brewline model train|evaluate|predict|list`: the IBU classifier (src/ml) from the command line.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "beer/csv.h"
#include "cli/commands.h"
#include "common/clock.h"
#include "common/file_system.h"
#include "ml/ibu_classifier.h"
#include "ml/model_builder.h"
#include "ml/model_registry.h"
#include "ml/table_source.h"
#include "store/fs_object_store.h"

namespace brewline::cli {
namespace {

// Options shared by train and evaluate.
struct DataOptions {
  std::string data_dir;
  std::string from_csv;
  std::string bands = "20,40,60,80,100";
  int folds = 5;
  int repeats = 5;
  bool no_cleaning = false;
  ml::Hyperparameters hp;
};

void AddDataOptions(CLI::App* cmd, DataOptions* o) {
  AddDataDirOption(cmd, &o->data_dir);
  cmd->add_option("--from-csv", o->from_csv, "train on a cleaned-format CSV with a header row instead of the table");
  cmd->add_option("--bands", o->bands, "IBU band edges")->capture_default_str();
  cmd->add_option("--folds", o->folds, "cross-validation folds")->capture_default_str()->check(CLI::Range(2, 50));
  cmd->add_option("--repeats", o->repeats, "cross-validation repeats")->capture_default_str()->check(CLI::Range(1, 100));
  cmd->add_option("--seed", o->hp.seed, "random seed (folds and XGBoost)")->capture_default_str();
  cmd->add_option("--rounds", o->hp.rounds, "boosting rounds")->capture_default_str()->check(CLI::Range(1, 10000));
  cmd->add_option("--max-depth", o->hp.max_depth, "tree depth")->capture_default_str()->check(CLI::Range(1, 20));
  cmd->add_option("--eta", o->hp.eta, "learning rate")->capture_default_str()->check(CLI::Range(0.0001, 1.0));
  cmd->add_option("--class-weight-power", o->hp.class_weight_power, "0 = unweighted, 1 = balanced")
      ->capture_default_str()->check(CLI::Range(0.0, 2.0));
  cmd->add_option("--prior-correction", o->hp.prior_correction, "0 = plain argmax")
      ->capture_default_str()->check(CLI::Range(0.0, 2.0));
  cmd->add_option("--forest-trees", o->hp.forest_trees, "ExtraTrees blended with the boosted model (0 = none)")
      ->capture_default_str()->check(CLI::Range(0, 5000));
  cmd->add_option("--forest-weight", o->hp.forest_weight, "the forest's share of the blended probabilities")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--no-cleaning", o->no_cleaning, "do not handle the known data problems (for comparison)");
}

Result<std::vector<beer::CleanedBeer>> LoadBeers(const DataOptions& o) {
  if (o.from_csv.empty()) return ml::ReadBeersFromTable(o.data_dir);
  ASSIGN_OR_RETURN(std::string text, PosixFileSystem::Get().ReadFile(o.from_csv));
  auto beers = ml::ReadCleanedCsv(text);
  if (!beers.ok()) return beers.status().WithContext(o.from_csv);
  return beers;
}

Result<ml::TrainRequest> MakeRequest(const DataOptions& o) {
  ml::TrainRequest req;
  ASSIGN_OR_RETURN(req.bands, ml::Bands::Parse(o.bands));
  req.cleaning = o.no_cleaning ? ml::CleaningOptions::None() : ml::CleaningOptions{};
  req.hp = o.hp;
  req.folds = o.folds;
  req.repeats = o.repeats;
  return req;
}

Status WriteOut(const std::string& path, const std::string& data) {
  if (path.empty()) return Status::OK();
  return WriteFileAtomically(PosixFileSystem::Get(), path, data);
}

int RunTrain(const DataOptions& o, bool no_evaluate) {
  auto req = MakeRequest(o);
  if (!req.ok()) return UsageError(req.status().message());
  req->evaluate = !no_evaluate;
  auto beers = LoadBeers(o);
  if (!beers.ok()) return ReportError(beers.status());
  auto built = ml::BuildModel(*beers, *req, SystemClock::Get().NowMillis());
  if (!built.ok()) return ReportError(built.status());
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(o.data_dir));
  ml::ModelRegistry registry(store);
  auto version = registry.Publish(built->model_json, &built->metadata, built->forest_json);
  if (!version.ok()) return ReportError(version.status());
  if (built->cv) std::fputs(ml::CvReportSummary(*built->cv, req->bands).c_str(), stdout);
  const std::string prefix = ml::ModelRegistry::VersionPrefix(*version);
  std::printf("model v%d trained on %d rows (%s), stored in bucket models at %smodel.json%s\n", *version,
              built->data.rows(), built->metadata.data_fingerprint.c_str(), prefix.c_str(),
              built->forest_json.empty() ? "" : (" and " + prefix + "forest.json").c_str());
  return kExitOk;
}

struct EvalOutputs {
  std::string json_out, folds_out, oof_out;
  bool compare_cleaning = false;
};

int RunEvaluate(const DataOptions& o, const EvalOutputs& out) {
  auto req = MakeRequest(o);
  if (!req.ok()) return UsageError(req.status().message());
  auto beers = LoadBeers(o);
  if (!beers.ok()) return ReportError(beers.status());
  auto data = ml::BuildDataset(*beers, req->bands, req->cleaning);
  if (!data.ok()) return ReportError(data.status());
  auto folds = ml::MakeStratifiedFolds(data->band, req->bands, req->folds, req->repeats, req->hp.seed);
  if (!folds.ok()) return ReportError(folds.status());
  auto cv = ml::CrossValidate(*data, req->bands, *folds, req->hp);
  if (!cv.ok()) return ReportError(cv.status());
  std::printf("data handling: %d IBU=OG made unknown, %d pH out of range made missing, %d FG>OG swapped\n",
              data->cleaning.ibu_equal_to_og, data->cleaning.ph_out_of_range, data->cleaning.fg_above_og_swapped);
  std::fputs(ml::CvReportSummary(*cv, req->bands).c_str(), stdout);
  nlohmann::json report = nlohmann::json::parse(ml::CvReportJson(*cv, req->bands));
  report["bands"] = req->bands.EdgesText();
  report["cleaning"] = !o.no_cleaning;
  if (out.compare_cleaning) {
    // The same model without the data handling, on the same beers, to show what the handling changes. The
    // rows differ slightly (IBU=OG rows are labelled there), so folds are drawn for that dataset.
    auto raw = ml::BuildDataset(*beers, req->bands, ml::CleaningOptions::None());
    if (!raw.ok()) return ReportError(raw.status());
    auto raw_folds = ml::MakeStratifiedFolds(raw->band, req->bands, req->folds, req->repeats, req->hp.seed);
    if (!raw_folds.ok()) return ReportError(raw_folds.status());
    auto raw_cv = ml::CrossValidate(*raw, req->bands, *raw_folds, req->hp);
    if (!raw_cv.ok()) return ReportError(raw_cv.status());
    std::printf("without data handling: macro-F1 %.3f ± %.3f, MAE %.1f IBU (rows %d)\n", raw_cv->macro_f1.mean,
                raw_cv->macro_f1.std, raw_cv->mae_ibu.mean, raw_cv->rows);
    report["without_cleaning"] = nlohmann::json::parse(ml::CvReportJson(*raw_cv, req->bands));
  }
  Status s = WriteOut(out.json_out, report.dump(2) + "\n");
  if (s.ok()) s = WriteOut(out.folds_out, ml::FoldsCsv(*data, *folds));
  if (s.ok()) s = WriteOut(out.oof_out, ml::OofCsv(*cv, *data));
  if (!s.ok()) return ReportError(s);
  return kExitOk;
}

int RunPredict(const std::string& data_dir, const std::string& csv_path, std::optional<int> version,
               const std::string& out_path) {
  auto text = PosixFileSystem::Get().ReadFile(csv_path);
  if (!text.ok()) return ReportError(text.status());
  auto beers = ml::ReadCleanedCsv(*text);
  if (!beers.ok()) return ReportError(beers.status().WithContext(csv_path));
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  auto clf = ml::IbuClassifier::Load(store, version);
  if (!clf.ok()) return ReportError(clf.status());
  const ml::Bands& bands = (*clf)->bands();
  std::string out = "id,name,band,band_low,band_high";
  for (int b = 0; b < bands.count(); ++b) out += ",p_" + bands.name(b);
  out += "\n";
  ml::Prediction p;
  for (const auto& beer : *beers) {
    Status s = (*clf)->PredictInto(beer, &p);
    if (!s.ok()) return ReportError(s);
    beer::AppendCsvInteger(&out, beer.id);
    out += ',';
    beer::AppendCsvText(&out, beer.name);
    out += ',';
    beer::AppendCsvText(&out, bands.name(p.band));
    out += ',' + ml::FormatNumber(p.band_low) + ',' + (std::isinf(p.band_high) ? "" : ml::FormatNumber(p.band_high));
    char buf[32];
    for (float v : p.probabilities) {
      std::snprintf(buf, sizeof buf, ",%.4f", v);
      out += buf;
    }
    out += '\n';
  }
  if (out_path.empty()) {
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else if (Status s = WriteOut(out_path, out); !s.ok()) {
    return ReportError(s);
  }
  return kExitOk;
}

int RunList(const std::string& data_dir) {
  store::FsObjectStore store(PosixFileSystem::Get(), store::BucketsDir(data_dir));
  ml::ModelRegistry registry(store);
  auto versions = registry.ListVersions();
  if (!versions.ok()) return ReportError(versions.status());
  auto latest = registry.LatestVersion();
  if (versions->empty()) {
    std::puts("no models (train one with `brewline model train`)");
    return kExitOk;
  }
  std::printf("%-8s %-21s %-6s %-9s %-20s %-20s %s\n", "version", "created_at", "rows", "macro_f1", "bands", "model",
              "");
  for (int v : *versions) {
    auto text = registry.GetMetadataJson(v);
    if (!text.ok()) return ReportError(text.status());
    auto meta = ml::MetadataFromJson(*text);
    if (!meta.ok()) {
      std::printf("v%-7d (unreadable: %s)\n", v, meta.status().message().c_str());
      continue;
    }
    std::string f1 = "-";
    auto metrics = nlohmann::json::parse(meta->metrics_json, nullptr, false);
    if (metrics.is_object() && metrics.contains("macro_f1")) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%.3f", metrics["macro_f1"]["mean"].get<double>());
      f1 = buf;
    }
    const int trees = meta->hyperparameters.forest_trees;
    const std::string kind = trees > 0 ? "xgboost+forest(" + std::to_string(trees) + ")" : "xgboost";
    std::printf("v%-7d %-21s %-6d %-9s %-20s %-20s %s\n", v, meta->created_at.c_str(), meta->training_rows, f1.c_str(),
                meta->bands.EdgesText().c_str(), kind.c_str(), latest.ok() && *latest == v ? "latest" : "");
  }
  return kExitOk;
}

}  // namespace

void RegisterModelCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* model = app.add_subcommand("model", "the IBU band classifier (XGBoost + ExtraTrees blend): train, evaluate, predict, list");
  model->require_subcommand(1);

  // Options live in shared_ptrs owned by the callbacks, so they outlive parsing and are freed with the app.
  auto train_opts = std::make_shared<DataOptions>();
  auto no_evaluate = std::make_shared<bool>(false);
  CLI::App* train = model->add_subcommand("train", "train on the table's beers view (or --from-csv) and publish v<N>");
  AddDataOptions(train, train_opts.get());
  train->add_flag("--no-evaluate", *no_evaluate, "skip cross-validation (metadata.metrics is null)");
  train->callback([&ctx, train_opts, no_evaluate] { ctx.exit_code = RunTrain(*train_opts, *no_evaluate); });

  auto eval_opts = std::make_shared<DataOptions>();
  auto eval_out = std::make_shared<EvalOutputs>();
  CLI::App* evaluate = model->add_subcommand("evaluate", "repeated stratified k-fold cross-validation (no model stored)");
  AddDataOptions(evaluate, eval_opts.get());
  evaluate->add_option("--json-out", eval_out->json_out, "write the report as JSON");
  evaluate->add_option("--folds-out", eval_out->folds_out, "write fold assignments (id,repeat,fold) as CSV");
  evaluate->add_option("--oof-out", eval_out->oof_out, "write out-of-fold predictions as CSV");
  evaluate->add_flag("--compare-cleaning", eval_out->compare_cleaning, "also evaluate without the data handling");
  evaluate->callback([&ctx, eval_opts, eval_out] { ctx.exit_code = RunEvaluate(*eval_opts, *eval_out); });

  struct PredictOpts {
    std::string data_dir, csv, out;
    std::optional<int> version;
  };
  auto p = std::make_shared<PredictOpts>();
  CLI::App* predict = model->add_subcommand("predict", "predict IBU bands for a cleaned-format CSV (ibu may be empty)");
  AddDataDirOption(predict, &p->data_dir);
  predict->add_option("--csv", p->csv, "input CSV with a header row")->required();
  predict->add_option("--version", p->version, "model version (default: latest)")->check(CLI::PositiveNumber);
  predict->add_option("--out", p->out, "write the CSV here instead of stdout");
  predict->callback([&ctx, p] { ctx.exit_code = RunPredict(p->data_dir, p->csv, p->version, p->out); });

  auto list_dir = std::make_shared<std::string>();
  CLI::App* list = model->add_subcommand("list", "list model versions in bucket models");
  AddDataDirOption(list, list_dir.get());
  list->callback([&ctx, list_dir] { ctx.exit_code = RunList(*list_dir); });
}

}  // namespace brewline::cli
