#include "server/predict_request.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/json_escape.h"

namespace brewline::server {
namespace {

using Json = nlohmann::json;

const char* TypeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "array";
    case Json::value_t::object: return "object";
    default: return "number";
  }
}

struct MeasureField {
  const char* name;
  std::optional<double> beer::CleanedBeer::*member;
};

constexpr MeasureField kMeasures[] = {
    {"abv", &beer::CleanedBeer::abv},         {"ibu", &beer::CleanedBeer::ibu},
    {"target_fg", &beer::CleanedBeer::target_fg}, {"target_og", &beer::CleanedBeer::target_og},
    {"ebc", &beer::CleanedBeer::ebc},         {"srm", &beer::CleanedBeer::srm},
    {"ph", &beer::CleanedBeer::ph},
};

std::optional<RequestError> ParseBeer(const Json& j, const std::string& at, PredictRequest* out) {
  auto field = [&](const char* name) { return at.empty() ? std::string(name) : at + "." + name; };
  if (!j.is_object()) {
    return RequestError{at, std::string("expected a beer object, got ") + TypeName(j)};
  }
  beer::CleanedBeer b;
  bool has_id = false, has_name = false, any_feature = false;
  if (auto it = j.find("id"); it != j.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1) {
      return RequestError{field("id"), std::string("expected an integer >= 1, got ") +
                                           (it->is_number() ? "a number out of range" : TypeName(*it))};
    }
    b.id = it->get<int64_t>();
    has_id = true;
  }
  if (auto it = j.find("name"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return RequestError{field("name"), std::string("expected a string, got ") + TypeName(*it)};
    b.name = it->get<std::string>();
    has_name = true;
  }
  for (const MeasureField& m : kMeasures) {
    auto it = j.find(m.name);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_number()) {
      return RequestError{field(m.name), std::string("expected a number or null, got ") + TypeName(*it)};
    }
    const double v = it->get<double>();
    if (!std::isfinite(v)) return RequestError{field(m.name), "expected a finite number"};
    b.*(m.member) = v;
    if (std::string_view(m.name) != "ibu") any_feature = true;
  }
  if (!any_feature) {
    return RequestError{at.empty() ? "abv" : field("abv"),
                        "no measured feature: give at least one of abv, target_fg, target_og, ebc, srm, ph"};
  }
  out->beers.push_back(std::move(b));
  out->has_id.push_back(has_id);
  out->has_name.push_back(has_name);
  return std::nullopt;
}

}  // namespace

std::optional<RequestError> ParsePredictRequest(std::string_view body, size_t max_batch, PredictRequest* out) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return RequestError{"", "the body is not valid JSON"};
  const Json* items = nullptr;
  if (j.is_array()) {
    items = &j;
  } else if (j.is_object() && j.contains("beers")) {
    items = &j["beers"];
    if (!items->is_array()) return RequestError{"beers", std::string("expected an array, got ") + TypeName(*items)};
  }
  if (items == nullptr) {
    out->batch = false;
    return ParseBeer(j, "", out);
  }
  out->batch = true;
  if (items->empty()) return RequestError{"beers", "the batch is empty"};
  if (items->size() > max_batch) {
    return RequestError{"beers", "the batch has " + std::to_string(items->size()) + " beers; at most " +
                                     std::to_string(max_batch) + " are allowed per request"};
  }
  out->beers.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    if (auto err = ParseBeer((*items)[i], "beers[" + std::to_string(i) + "]", out)) return err;
  }
  return std::nullopt;
}

void AppendPredictionJson(std::string* out, const ml::Bands& bands, const ml::Prediction& p,
                          const beer::CleanedBeer& beer, bool with_id, bool with_name) {
  out->push_back('{');
  if (with_id) out->append("\"id\":").append(std::to_string(beer.id)).push_back(',');
  if (with_name) {
    out->append("\"name\":");
    AppendJsonString(out, beer.name);
    out->push_back(',');
  }
  out->append("\"band\":").append(std::to_string(p.band));
  out->append(",\"range\":");
  AppendJsonString(out, bands.label(p.band));
  out->append(",\"low\":");
  AppendJsonNumber(out, p.band_low);
  out->append(",\"high\":");
  if (std::isfinite(p.band_high)) AppendJsonNumber(out, p.band_high);
  else out->append("null");
  out->append(",\"probabilities\":{");
  for (size_t i = 0; i < p.probabilities.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(out, bands.label(static_cast<int>(i)));
    out->push_back(':');
    AppendJsonFloat(out, static_cast<float>(p.probabilities[i]));
  }
  out->append("},\"model_version\":").append(std::to_string(p.version)).push_back('}');
}

bool IsJsonContentType(std::string_view value) {
  std::string v(value.substr(0, value.find(';')));
  v.erase(std::remove_if(v.begin(), v.end(), [](unsigned char c) { return std::isspace(c); }), v.end());
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "application/json";
}

PredictReply HandlePredict(const ml::IbuClassifier* model, std::string_view content_type, std::string_view body,
                           size_t max_batch, std::string_view no_model_message) {
  PredictReply reply;
  auto fail = [&](int status, std::string_view field, std::string_view message) {
    reply.status = status;
    reply.body = ErrorJson(status, field, message);
    return reply;
  };
  if (!IsJsonContentType(content_type)) {
    return fail(415, "Content-Type", "expected Content-Type: application/json, got '" + std::string(content_type) + "'");
  }
  PredictRequest parsed;
  if (auto err = ParsePredictRequest(body, max_batch, &parsed)) return fail(400, err->field, err->message);
  if (model == nullptr) return fail(503, "", no_model_message);
  std::string& out = reply.body;
  out.reserve(256 * parsed.beers.size() + 64);
  if (parsed.batch) out.append("{\"model_version\":").append(std::to_string(model->version())).append(",\"predictions\":[");
  ml::Prediction p;
  for (size_t i = 0; i < parsed.beers.size(); ++i) {
    Status st = model->PredictInto(parsed.beers[i], &p);
    if (!st.ok()) return fail(400, parsed.batch ? "beers[" + std::to_string(i) + "]" : "", st.message());
    if (i) out.push_back(',');
    AppendPredictionJson(&out, model->bands(), p, parsed.beers[i], parsed.has_id[i], parsed.has_name[i]);
  }
  if (parsed.batch) out.append("]}");
  out.push_back('\n');
  reply.predictions = parsed.beers.size();
  return reply;
}

std::string ErrorJson(int status, std::string_view field, std::string_view message) {
  std::string out = "{\"error\":{\"status\":" + std::to_string(status) + ",\"field\":";
  if (field.empty()) out += "null";
  else AppendJsonString(&out, field);
  out += ",\"message\":";
  AppendJsonString(&out, message);
  out += "}}\n";
  return out;
}

}  // namespace brewline::server
