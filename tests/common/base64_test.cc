#include "common/base64.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <random>
#include <vector>

namespace brewline {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                        {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                        {"foobar", "Zm9vYmFy"}};
  for (auto [plain, enc] : cases) {
    EXPECT_EQ(Base64Encode(plain), enc);
    EXPECT_EQ(*Base64Decode(enc), plain);
  }
}

TEST(Base64Test, RandomRoundTrip) {
  std::mt19937 rng(7);
  for (int n = 0; n < 300; ++n) {
    std::string data(n, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    EXPECT_EQ(*Base64Decode(Base64Encode(data)), data);
  }
}

TEST(Base64Test, RejectsMalformed) {
  for (const char* bad : {"Zg=", "Z===", "Zm9v!A==", "Zm 9", "=Zm9"}) EXPECT_FALSE(Base64Decode(bad).ok()) << bad;
}

TEST(Base64Test, DecodeErrorsSayWhere) {
  EXPECT_EQ(Base64Decode("Zm9").status().message(), "invalid base64: length 3 is not a multiple of 4");
  EXPECT_EQ(Base64Decode("Zm9vZm9v!A==").status().message(), "invalid base64: bad character near offset 8");
}

// Base64DecodeTo has two implementations (AVX2 when the CPU has it, a table decoder otherwise); both must
// accept and produce exactly what Base64Decode's contract says, for every tail length and every position of
// a bad character within and across the 32-character vector blocks.
struct Decoder {
  const char* name;
  std::function<bool(std::string_view, char*, size_t*)> decode;
};

std::vector<Decoder> Decoders() {
  std::vector<Decoder> d = {{"scalar", base64_internal::DecodeScalar}, {"dispatch", Base64DecodeTo}};
  if (base64_internal::HaveAvx2()) d.push_back({"avx2", base64_internal::DecodeAvx2});
  return d;
}

std::optional<std::string> Decode(const Decoder& d, std::string_view text) {
  std::string buf(Base64DecodeBound(text.size()), '\xAA');
  size_t size = 0;
  if (!d.decode(text, buf.data(), &size)) return std::nullopt;
  EXPECT_LE(size, buf.size());
  buf.resize(size);
  return buf;
}

TEST(Base64DecodeTo, EveryLengthRoundTripsOnEveryPath) {
  std::mt19937 rng(11);
  for (size_t n = 0; n < 200; ++n) {
    std::string data(n, '\0');
    for (char& c : data) c = static_cast<char>(rng());
    const std::string text = Base64Encode(data);
    for (const Decoder& d : Decoders()) {
      auto out = Decode(d, text);
      ASSERT_TRUE(out.has_value()) << d.name << " n=" << n;
      EXPECT_EQ(*out, data) << d.name << " n=" << n;
    }
  }
}

TEST(Base64DecodeTo, BadCharacterAtEveryPositionFailsOnEveryPath) {
  std::mt19937 rng(5);
  std::string data(150, '\0');  // 200 characters: six vector blocks and a scalar tail
  for (char& c : data) c = static_cast<char>(rng());
  const std::string good = Base64Encode(data);
  const std::string bad_chars = std::string("=-_ .!~@[`{:*,\x7f\x80\xff\x01\0\"\\", 21);
  for (size_t pos = 0; pos < good.size(); ++pos) {
    for (char c : bad_chars) {
      std::string text = good;
      text[pos] = c;
      if (c == '=' && pos >= good.size() - 2) continue;  // may be valid padding
      for (const Decoder& d : Decoders()) {
        EXPECT_FALSE(Decode(d, text).has_value()) << d.name << " pos=" << pos << " char=" << int(c);
      }
      EXPECT_FALSE(Base64Decode(text).ok()) << pos;
    }
  }
}

TEST(Base64DecodeTo, PaddingShapesAgreeWithBase64Decode) {
  const char* cases[] = {"",     "Zg==", "Zm8=", "Zm9v", "Zg=a", "Z=g=", "Zm=v", "====", "Zm9vZg=", "A===",
                         "Zg=\n", "Zm9v====", "Zm9v Zg=", "QR==", "QUI=", "QUJD"};
  for (const char* text : cases) {
    auto expected = Base64Decode(text);
    for (const Decoder& d : Decoders()) {
      auto out = Decode(d, text);
      ASSERT_EQ(out.has_value(), expected.ok()) << d.name << " " << text;
      if (out) {
        EXPECT_EQ(*out, *expected) << d.name << " " << text;
      }
    }
  }
}

}  // namespace
}  // namespace brewline
