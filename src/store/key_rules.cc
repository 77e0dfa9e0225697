#include "store/key_rules.h"

#include <string>

namespace brewline::store {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong encodings, surrogates and values past U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Status ValidateBucketName(std::string_view bucket) {
  auto bad = [&](const char* why) {
    return InvalidArgument("invalid bucket name '" + std::string(bucket) + "': " + why, "InvalidBucketName");
  };
  if (bucket.size() < 3 || bucket.size() > 63) return bad("must be 3-63 characters");
  for (char c : bucket) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
      return bad("only lowercase letters, digits, '.' and '-' are allowed");
    }
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(bucket.front()) || !alnum(bucket.back())) return bad("must start and end with a letter or digit");
  if (bucket.find("..") != std::string_view::npos) return bad("must not contain '..'");
  return Status::OK();
}

namespace {

// A printable form of a key for error messages (NUL and other control bytes escaped, long keys shortened).
std::string Printable(std::string_view key) {
  std::string out;
  for (char c : key.substr(0, 120)) {
    if (static_cast<unsigned char>(c) < 0x20) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[(c >> 4) & 0xF];
      out += hex[c & 0xF];
    } else {
      out += c;
    }
  }
  if (key.size() > 120) out += "...";
  return out;
}

}  // namespace

Status ValidateKey(std::string_view key) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("invalid object key '" + Printable(key) + "': " + why, "InvalidKey");
  };
  if (key.empty()) return bad("must not be empty");
  if (key.size() > kMaxKeyBytes) return bad("longer than 1024 bytes (" + std::to_string(key.size()) + ")");
  if (key.find('\0') != std::string_view::npos) return bad("contains a NUL byte");
  if (!IsValidUtf8(key)) return bad("not valid UTF-8");
  if (key.front() == '/') return bad("absolute paths are not allowed");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view seg = key.substr(start, end - start);
    if (seg == "..") return bad("'..' segments are not allowed");
    if (seg == ".") return bad("'.' segments are not allowed");
    start = end + 1;
  }
  return Status::OK();
}

Status ValidateKeyForFilesystem(std::string_view key) {
  RETURN_IF_ERROR(ValidateKey(key));
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    size_t len = end - start;
    if (len == 0) {
      return InvalidArgument("invalid object key '" + Printable(key) +
                                 "': empty path segments ('//' or a trailing '/') are not supported by the local store",
                             "InvalidKey");
    }
    if (len > 255) {
      return InvalidArgument("invalid object key '" + Printable(key) + "': a path segment is longer than 255 bytes",
                             "InvalidKey");
    }
    start = end + 1;
  }
  return Status::OK();
}

}  // namespace brewline::store
