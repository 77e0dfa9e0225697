#include "delivery/transform.h"

#include <simdjson.h>

#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define BREWLINE_B64_AVX2 1
#endif

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

#if BREWLINE_B64_AVX2
// Decodes whole 32-character blocks of src[0, n) with AVX2 (Muła's and Klomp's algorithm: two nibble lookups
// validate, a third maps each character to its sextet, multiply-adds pack 4 sextets into 3 bytes). Stops
// before the first block holding a character outside the alphabet, leaving it to the scalar loop, so the
// outcome is exactly the table decoder's. Each store writes 32 bytes of which 24 are output: dst needs 8
// bytes of slack. Returns the number of characters consumed (a multiple of 32).
__attribute__((target("avx2"))) size_t DecodeBase64BlocksAvx2(const unsigned char* src, size_t n,
                                                               unsigned char* dst) {
  const __m256i lut_lo = _mm256_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A,
                                          0x1B, 0x1B, 0x1B, 0x1A, 0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                          0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
  const __m256i lut_hi = _mm256_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10,
                                          0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
                                          0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
  const __m256i lut_roll = _mm256_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 19, 4,
                                            -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i mask_2f = _mm256_set1_epi8(0x2f);
  const __m256i merge_ab_bc = _mm256_set1_epi32(0x01400140);
  const __m256i merge_abc = _mm256_set1_epi32(0x00011000);
  const __m256i pack = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, 2, 1, 0, 6, 5, 4, 10,
                                        9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, -1, -1);
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i str = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    const __m256i hi_nibbles = _mm256_and_si256(_mm256_srli_epi32(str, 4), mask_2f);
    const __m256i lo_nibbles = _mm256_and_si256(str, mask_2f);
    const __m256i hi = _mm256_shuffle_epi8(lut_hi, hi_nibbles);
    const __m256i lo = _mm256_shuffle_epi8(lut_lo, lo_nibbles);
    if (!_mm256_testz_si256(lo, hi)) break;  // a character outside the alphabet
    const __m256i eq_2f = _mm256_cmpeq_epi8(str, mask_2f);
    const __m256i roll = _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(eq_2f, hi_nibbles));
    str = _mm256_add_epi8(str, roll);
    str = _mm256_madd_epi16(_mm256_maddubs_epi16(str, merge_ab_bc), merge_abc);
    str = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(str, pack), lanes);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), str);
    dst += 24;
  }
  return i;
}

const bool kHaveAvx2 = [] {
  __builtin_cpu_init();  // may run before the library's own constructors
  return __builtin_cpu_supports("avx2") != 0;
}();
#endif

// Decodes standard base64 into *out (reusing its capacity). False on any malformed input.
bool DecodeBase64Into(std::string_view in, std::string* out) {
  out->clear();
  if (in.size() % 4 != 0) return false;
  if (in.empty()) return true;
  size_t pad = 0;
  if (in.back() == '=') ++pad;
  if (in.size() >= 2 && in[in.size() - 2] == '=') ++pad;
  out->resize(in.size() / 4 * 3 + 8);  // + 8: slack for the vector stores
  auto* dst = reinterpret_cast<unsigned char*>(out->data());
  const auto* src = reinterpret_cast<const unsigned char*>(in.data());
  const size_t full = in.size() - (pad ? 4 : 0);
  size_t i = 0;
#if BREWLINE_B64_AVX2
  if (kHaveAvx2) {
    i = DecodeBase64BlocksAvx2(src, full, dst);
    dst += i / 4 * 3;
  }
#endif
  uint32_t bad = 0;
  for (; i < full; i += 4) {
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

const size_t FirehoseTransformer::kPadding = simdjson::SIMDJSON_PADDING;

Status FirehoseTransformer::Transform(std::string_view event_json, std::string* response) {
  return Transform(event_json, 0, response);
}

Status FirehoseTransformer::Transform(std::string_view event_json, size_t capacity, std::string* response) {
  last_ok_ = last_failed_ = 0;
  const bool copy = capacity < event_json.size() + kPadding;
  simdjson::dom::element root;
  if (auto err = impl_->event_parser.parse(event_json.data(), event_json.size(), copy).get(root)) {
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
