#include "delivery/transform.h"

#include <simdjson.h>

#include "beer/beer.h"
#include "common/base64.h"
#include "common/json_escape.h"

namespace brewline::delivery {

struct FirehoseTransformer::Impl {
  simdjson::dom::parser event_parser;
  beer::BeerParser beer_parser;
  std::string decoded;  // one record's data, kept with spare capacity so the beer parser can parse in place
  std::string csv;
};

FirehoseTransformer::FirehoseTransformer() : impl_(std::make_unique<Impl>()) {}
FirehoseTransformer::~FirehoseTransformer() = default;

namespace {

// Decodes standard base64 into *out (reusing its capacity). False on any malformed input.
bool DecodeBase64Into(std::string_view in, std::string* out) {
  static constexpr auto kTable = [] {
    std::array<int8_t, 256> t{};
    for (auto& v : t) v = -1;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
    return t;
  }();
  out->clear();
  if (in.size() % 4 != 0) return false;
  if (in.empty()) return true;
  size_t pad = 0;
  if (in.back() == '=') ++pad;
  if (in.size() >= 2 && in[in.size() - 2] == '=') ++pad;
  out->resize(in.size() / 4 * 3);
  char* dst = out->data();
  const unsigned char* src = reinterpret_cast<const unsigned char*>(in.data());
  const size_t full = in.size() - (pad ? 4 : 0);
  size_t i = 0;
  for (; i < full; i += 4) {
    int a = kTable[src[i]], b = kTable[src[i + 1]], c = kTable[src[i + 2]], d = kTable[src[i + 3]];
    if ((a | b | c | d) < 0) return false;
    uint32_t v = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    *dst++ = static_cast<char>(v >> 16);
    *dst++ = static_cast<char>(v >> 8);
    *dst++ = static_cast<char>(v);
  }
  if (pad) {
    int a = kTable[src[i]], b = kTable[src[i + 1]];
    int c = pad == 2 ? 0 : kTable[src[i + 2]];
    if ((a | b | c) < 0) return false;
    uint32_t v = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6);
    *dst++ = static_cast<char>(v >> 16);
    if (pad == 1) *dst++ = static_cast<char>(v >> 8);
  }
  out->resize(static_cast<size_t>(dst - out->data()));
  return true;
}

}  // namespace

Status FirehoseTransformer::Transform(std::string_view event_json, std::string* response) {
  last_ok_ = last_failed_ = 0;
  simdjson::dom::element root;
  if (auto err = impl_->event_parser.parse(event_json.data(), event_json.size(), true).get(root)) {
    return InvalidArgument(std::string("transformation event: malformed JSON: ") + simdjson::error_message(err));
  }
  simdjson::dom::array records;
  if (root["records"].get_array().get(records) != simdjson::SUCCESS) {
    return InvalidArgument("transformation event: no 'records' array");
  }
  response->clear();
  response->reserve(event_json.size() / 2 + 64);
  response->append("{\"records\":[");
  bool first = true;
  size_t index = 0;
  for (simdjson::dom::element record : records) {
    std::string_view record_id, data;
    if (record["recordId"].get_string().get(record_id) != simdjson::SUCCESS) {
      return InvalidArgument("transformation event: record " + std::to_string(index) + " has no string 'recordId'");
    }
    if (record["data"].get_string().get(data) != simdjson::SUCCESS) {
      return InvalidArgument("transformation event: record " + std::to_string(index) + " has no string 'data'");
    }
    ++index;
    if (!first) response->push_back(',');
    first = false;
    response->append("{\"recordId\":");
    AppendJsonString(response, record_id);
    bool ok = false;
    if (DecodeBase64Into(data, &impl_->decoded)) {
      impl_->decoded.reserve(impl_->decoded.size() + beer::BeerParser::kPadding);
      auto beer = impl_->beer_parser.ParsePadded(impl_->decoded, impl_->decoded.capacity());
      if (beer.ok()) {
        impl_->csv.clear();
        beer::AppendCsvLine(&impl_->csv, *beer);
        response->append(",\"result\":\"Ok\",\"data\":\"");
        Base64EncodeAppend(response, impl_->csv);
        response->append("\"}");
        ok = true;
      }
    }
    if (ok) {
      ++last_ok_;
    } else {
      ++last_failed_;
      response->append(",\"result\":\"ProcessingFailed\",\"data\":");
      AppendJsonString(response, data);
      response->push_back('}');
    }
  }
  response->append("]}");
  return Status::OK();
}

Result<std::string> TransformFirehoseEvent(std::string_view event_json) {
  FirehoseTransformer transformer;
  std::string response;
  RETURN_IF_ERROR(transformer.Transform(event_json, &response));
  return response;
}

}  // namespace brewline::delivery
