#include "delivery/transform.h"

#include <simdjson.h>

#include <cstdint>

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

// Four lookup tables with each sextet pre-shifted into place (as modp_b64 does): one OR per 4 characters, and
// any invalid character sets bit 24 or above.
struct Base64Tables {
  uint32_t d[4][256];
};

constexpr Base64Tables MakeBase64Tables() {
  Base64Tables t{};
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int k = 0; k < 4; ++k) {
    for (int c = 0; c < 256; ++c) t.d[k][c] = 0x01000000u;
  }
  for (uint32_t i = 0; i < 64; ++i) {
    auto c = static_cast<unsigned char>(alphabet[i]);
    t.d[0][c] = i << 18;
    t.d[1][c] = i << 12;
    t.d[2][c] = i << 6;
    t.d[3][c] = i;
  }
  return t;
}

constexpr Base64Tables kB64 = MakeBase64Tables();

// Decodes standard base64 into *out (reusing its capacity). False on any malformed input.
bool DecodeBase64Into(std::string_view in, std::string* out) {
  out->clear();
  if (in.size() % 4 != 0) return false;
  if (in.empty()) return true;
  size_t pad = 0;
  if (in.back() == '=') ++pad;
  if (in.size() >= 2 && in[in.size() - 2] == '=') ++pad;
  out->resize(in.size() / 4 * 3);
  auto* dst = reinterpret_cast<unsigned char*>(out->data());
  const auto* src = reinterpret_cast<const unsigned char*>(in.data());
  const size_t full = in.size() - (pad ? 4 : 0);
  uint32_t bad = 0;
  for (size_t i = 0; i < full; i += 4) {
    uint32_t v = kB64.d[0][src[i]] | kB64.d[1][src[i + 1]] | kB64.d[2][src[i + 2]] | kB64.d[3][src[i + 3]];
    bad |= v;
    dst[0] = static_cast<unsigned char>(v >> 16);
    dst[1] = static_cast<unsigned char>(v >> 8);
    dst[2] = static_cast<unsigned char>(v);
    dst += 3;
  }
  if (bad >= 0x01000000u) return false;
  if (pad) {
    const unsigned char* q = src + full;
    uint32_t v = kB64.d[0][q[0]] | kB64.d[1][q[1]] | (pad == 2 ? 0u : kB64.d[2][q[2]]);
    if (v >= 0x01000000u) return false;
    *dst++ = static_cast<unsigned char>(v >> 16);
    if (pad == 1) *dst++ = static_cast<unsigned char>(v >> 8);
  }
  out->resize(static_cast<size_t>(dst - reinterpret_cast<unsigned char*>(out->data())));
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
