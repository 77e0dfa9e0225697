#include "ml/model_metadata.h"

#include <algorithm>

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

namespace brewline::ml {

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string MetadataToJson(const ModelMetadata& m) {
  const Hyperparameters& hp = m.hyperparameters;
  nlohmann::json j;
  j["format"] = kModelFormat;
  j["format_version"] = kModelFormatVersion;
  j["version"] = m.version;
  j["created_at"] = m.created_at;
  j["bands"] = {{"edges", m.bands.edges()}, {"labels", nlohmann::json::array()}};
  for (int b = 0; b < m.bands.count(); ++b) j["bands"]["labels"].push_back(m.bands.label(b));
  j["features"] = m.features;
  j["hyperparameters"] = {{"eta", hp.eta},
                          {"max_depth", hp.max_depth},
                          {"subsample", hp.subsample},
                          {"colsample_bytree", hp.colsample_bytree},
                          {"min_child_weight", hp.min_child_weight},
                          {"lambda", hp.lambda},
                          {"gamma", hp.gamma},
                          {"rounds", hp.rounds},
                          {"class_weight_power", hp.class_weight_power},
                          {"prior_correction", hp.prior_correction},
                          {"seed", hp.seed},
                          {"nthread", hp.nthread},
                          {"forest_trees", hp.forest_trees},
                          {"forest_max_features", hp.forest_max_features},
                          {"forest_min_samples_leaf", hp.forest_min_samples_leaf},
                          {"forest_weight", hp.forest_weight}};
  j["cleaning"] = {{"ibu_equal_to_og_is_unknown", m.cleaning.ibu_equal_to_og_is_unknown},
                   {"ph_out_of_range_is_missing", m.cleaning.ph_out_of_range_is_missing},
                   {"swap_fg_above_og", m.cleaning.swap_fg_above_og}};
  j["decision"] = {{"correction", m.correction}, {"band_counts", m.band_counts}};
  j["training_rows"] = m.training_rows;
  j["data_fingerprint"] = m.data_fingerprint;
  j["model_sha256"] = m.model_sha256;
  j["forest_sha256"] = m.forest_sha256;
  j["metrics"] = nlohmann::json::parse(m.metrics_json.empty() ? "null" : m.metrics_json, nullptr, false);
  j["library_versions"] = {{"xgboost", m.xgboost_version}, {"brewline", m.brewline_version}};
  return j.dump(2) + "\n";
}

Result<ModelMetadata> MetadataFromJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Corruption("metadata.json is not a JSON object");
  try {
    if (j.value("format", "") != kModelFormat) {
      return FailedPrecondition("metadata.json: format is not '" + std::string(kModelFormat) + "'");
    }
    const int fv = j.at("format_version").get<int>();
    if (fv != 1 && fv != kModelFormatVersion) {
      return FailedPrecondition("metadata.json: format_version " + std::to_string(fv) + " is not supported (want " +
                                std::to_string(kModelFormatVersion) + ")");
    }
    ModelMetadata m;
    m.version = j.at("version").get<int>();
    m.created_at = j.at("created_at").get<std::string>();
    ASSIGN_OR_RETURN(m.bands, Bands::FromEdges(j.at("bands").at("edges").get<std::vector<double>>()));
    m.features = j.at("features").get<std::vector<std::string>>();
    // A model may use any subset of the features this build computes, in its own order (models trained before
    // a feature was added keep serving); a feature this build does not know cannot be computed.
    if (m.features.empty()) return FailedPrecondition("metadata.json: the model lists no features");
    for (size_t i = 0; i < m.features.size(); ++i) {
      if (std::find(kFeatureNames.begin(), kFeatureNames.end(), m.features[i]) == kFeatureNames.end()) {
        return FailedPrecondition("model features include '" + m.features[i] +
                                  "', which this build of brewline does not compute (model trained by another "
                                  "version); retrain with `brewline model train`");
      }
      if (std::find(m.features.begin(), m.features.begin() + i, m.features[i]) != m.features.begin() + i) {
        return FailedPrecondition("metadata.json: feature '" + m.features[i] + "' is listed twice");
      }
    }
    const auto& hp = j.at("hyperparameters");
    Hyperparameters& h = m.hyperparameters;
    h.eta = hp.at("eta");
    h.max_depth = hp.at("max_depth");
    h.subsample = hp.at("subsample");
    h.colsample_bytree = hp.at("colsample_bytree");
    h.min_child_weight = hp.at("min_child_weight");
    h.lambda = hp.at("lambda");
    h.gamma = hp.at("gamma");
    h.rounds = hp.at("rounds");
    h.class_weight_power = hp.at("class_weight_power");
    h.prior_correction = hp.at("prior_correction");
    h.seed = hp.at("seed");
    h.nthread = hp.at("nthread");
    // Version 1 models are the boosted model alone.
    h.forest_trees = fv >= 2 ? hp.at("forest_trees").get<int>() : 0;
    if (fv >= 2) {
      h.forest_max_features = hp.at("forest_max_features");
      h.forest_min_samples_leaf = hp.at("forest_min_samples_leaf");
      h.forest_weight = hp.at("forest_weight");
      m.forest_sha256 = j.at("forest_sha256");
    }
    if (h.forest_trees < 0 || !(h.forest_weight >= 0 && h.forest_weight <= 1)) {
      return FailedPrecondition("metadata.json: forest_trees or forest_weight out of range");
    }
    const auto& c = j.at("cleaning");
    m.cleaning = {c.at("ibu_equal_to_og_is_unknown"), c.at("ph_out_of_range_is_missing"), c.at("swap_fg_above_og")};
    m.correction = j.at("decision").at("correction").get<std::vector<double>>();
    m.band_counts = j.at("decision").at("band_counts").get<std::vector<int>>();
    if (static_cast<int>(m.correction.size()) != m.bands.count() ||
        static_cast<int>(m.band_counts.size()) != m.bands.count()) {
      return FailedPrecondition("metadata.json: decision vectors do not match the " +
                                std::to_string(m.bands.count()) + " bands");
    }
    m.training_rows = j.at("training_rows");
    m.data_fingerprint = j.at("data_fingerprint");
    m.model_sha256 = j.at("model_sha256");
    m.metrics_json = j.at("metrics").dump();
    m.xgboost_version = j.at("library_versions").at("xgboost");
    m.brewline_version = j.at("library_versions").at("brewline");
    return m;
  } catch (const nlohmann::json::exception& e) {
    return Corruption(std::string("metadata.json: missing or mistyped field (") + e.what() + ")");
  }
}

}  // namespace brewline::ml
