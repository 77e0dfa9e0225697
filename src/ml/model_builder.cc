#include "ml/model_builder.h"

#include "common/time_util.h"

namespace brewline::ml {

std::string BrewlineVersion() { return BREWLINE_VERSION; }

Result<TrainOutcome> BuildModel(const std::vector<beer::CleanedBeer>& beers, const TrainRequest& request,
                                int64_t now_ms) {
  TrainOutcome out;
  ASSIGN_OR_RETURN(out.data, BuildDataset(beers, request.bands, request.cleaning));
  if (request.evaluate) {
    ASSIGN_OR_RETURN(Folds folds, MakeStratifiedFolds(out.data.band, request.bands, request.folds, request.repeats,
                                                      request.hp.seed));
    ASSIGN_OR_RETURN(CvReport cv, CrossValidate(out.data, request.bands, folds, request.hp));
    out.cv = std::move(cv);
  }
  ASSIGN_OR_RETURN(TrainedClassifier clf, TrainClassifier(out.data, {}, request.bands, request.hp));
  std::vector<std::string> names(kFeatureNames.begin(), kFeatureNames.end());
  ASSIGN_OR_RETURN(out.model_json, clf.booster.SaveJson());
  if (clf.forest) out.forest_json = clf.forest->ToJson();

  ModelMetadata& m = out.metadata;
  m.created_at = FormatIso8601(now_ms);
  m.bands = request.bands;
  m.features = names;
  m.hyperparameters = request.hp;
  m.cleaning = request.cleaning;
  m.correction = clf.correction;
  m.band_counts = clf.band_counts;
  m.training_rows = out.data.rows();
  m.data_fingerprint = DataFingerprint(out.data);
  m.metrics_json = out.cv ? CvReportJson(*out.cv, request.bands) : "null";
  m.xgboost_version = XgboostVersion();
  m.brewline_version = BrewlineVersion();
  return out;
}

}  // namespace brewline::ml
