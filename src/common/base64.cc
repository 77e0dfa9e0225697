#include "common/base64.h"

#include <array>
#include <cstdint>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define BREWLINE_B64_AVX2 1
#endif

namespace brewline {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Four lookup tables with each sextet pre-shifted into place (as modp_b64 does): one OR per 4 characters, and
// any invalid character sets bit 24 or above.
struct DecodeTables {
  uint32_t d[4][256];
};

constexpr DecodeTables MakeDecodeTables() {
  DecodeTables t{};
  for (int k = 0; k < 4; ++k) {
    for (int c = 0; c < 256; ++c) t.d[k][c] = 0x01000000u;
  }
  for (uint32_t i = 0; i < 64; ++i) {
    auto c = static_cast<unsigned char>(kAlphabet[i]);
    t.d[0][c] = i << 18;
    t.d[1][c] = i << 12;
    t.d[2][c] = i << 6;
    t.d[3][c] = i;
  }
  return t;
}
constexpr DecodeTables kDecode = MakeDecodeTables();
constexpr uint32_t kBad = 0x01000000u;

#if BREWLINE_B64_AVX2
// Decodes whole 32-character blocks of src[0, n) with AVX2 (Muła's and Klomp's algorithm: two nibble lookups
// validate, a third maps each character to its sextet, multiply-adds pack 4 sextets into 3 bytes). Stops
// before the first block holding a character outside the alphabet, leaving it to the scalar loop, so the
// outcome is exactly the table decoder's. Each store writes 32 bytes of which 24 are output (hence the slack
// in Base64DecodeBound). Returns the number of characters consumed (a multiple of 32).
__attribute__((target("avx2"))) size_t DecodeBlocksAvx2(const unsigned char* src, size_t n, unsigned char* dst) {
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

// The scalar tail shared by both decoders: full groups from `i` on, then the padded last group.
bool DecodeFrom(std::string_view text, size_t i, unsigned char* dst, unsigned char* start, size_t* size) {
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  const auto* src = reinterpret_cast<const unsigned char*>(text.data());
  const size_t full = text.size() - (pad ? 4 : 0);
  uint32_t bad = 0;
  for (; i < full; i += 4) {
    uint32_t v = kDecode.d[0][src[i]] | kDecode.d[1][src[i + 1]] | kDecode.d[2][src[i + 2]] | kDecode.d[3][src[i + 3]];
    bad |= v;
    dst[0] = static_cast<unsigned char>(v >> 16);
    dst[1] = static_cast<unsigned char>(v >> 8);
    dst[2] = static_cast<unsigned char>(v);
    dst += 3;
  }
  if (bad >= kBad) return false;
  if (pad) {
    const unsigned char* q = src + full;
    uint32_t v = kDecode.d[0][q[0]] | kDecode.d[1][q[1]] | (pad == 2 ? 0u : kDecode.d[2][q[2]]);
    if (v >= kBad) return false;
    *dst++ = static_cast<unsigned char>(v >> 16);
    if (pad == 1) *dst++ = static_cast<unsigned char>(v >> 8);
  }
  *size = static_cast<size_t>(dst - start);
  return true;
}

// Offset of the first 4-character group holding a character Base64Decode rejects (for its message).
size_t FirstBadGroup(std::string_view text) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  size_t pad = 0;
  if (!text.empty() && text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  for (size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    uint32_t v = kDecode.d[0][in[i]] | kDecode.d[1][in[i + 1]];
    if (!(last && pad >= 2)) v |= kDecode.d[2][in[i + 2]];
    if (!(last && pad >= 1)) v |= kDecode.d[3][in[i + 3]];
    if (v >= kBad) return i;
  }
  return 0;
}

}  // namespace

namespace base64_internal {

bool DecodeScalar(std::string_view text, char* dst, size_t* size) {
  if (text.size() % 4 != 0) return false;
  auto* out = reinterpret_cast<unsigned char*>(dst);
  return DecodeFrom(text, 0, out, out, size);
}

bool HaveAvx2() {
#if BREWLINE_B64_AVX2
  return kHaveAvx2;
#else
  return false;
#endif
}

bool DecodeAvx2(std::string_view text, char* dst, size_t* size) {
#if BREWLINE_B64_AVX2
  if (text.size() % 4 != 0) return false;
  auto* out = reinterpret_cast<unsigned char*>(dst);
  // The last group may hold padding: only the characters before it go through the vector loop.
  const size_t vector_part = text.size() >= 4 ? text.size() - 4 : 0;
  const size_t done = DecodeBlocksAvx2(reinterpret_cast<const unsigned char*>(text.data()), vector_part, out);
  return DecodeFrom(text, done, out + done / 4 * 3, out, size);
#else
  return DecodeScalar(text, dst, size);
#endif
}

}  // namespace base64_internal

bool Base64DecodeTo(std::string_view text, char* dst, size_t* size) {
  return base64_internal::HaveAvx2() ? base64_internal::DecodeAvx2(text, dst, size)
                                     : base64_internal::DecodeScalar(text, dst, size);
}

void Base64EncodeAppend(std::string* out, std::string_view data) {
  size_t start = out->size();
  out->resize(start + (data.size() + 2) / 3 * 4);
  char* p = out->data() + start;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = uint32_t{in[i]} << 16;
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = '=';
    *p++ = '=';
  } else if (rest == 2) {
    uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8);
    *p++ = kAlphabet[v >> 18];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = '=';
  }
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  Base64EncodeAppend(&out, data);
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return InvalidArgument("invalid base64: length " + std::to_string(text.size()) + " is not a multiple of 4");
  std::string out;
  out.resize(Base64DecodeBound(text.size()));
  size_t size = 0;
  if (!Base64DecodeTo(text, out.data(), &size)) {
    return InvalidArgument("invalid base64: bad character near offset " + std::to_string(FirstBadGroup(text)));
  }
  out.resize(size);
  return out;
}

}  // namespace brewline
