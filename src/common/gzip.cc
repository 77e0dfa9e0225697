#include "common/gzip.h"

#include <zlib.h>

namespace brewline {

Result<std::string> GzipCompress(std::string_view data, int level) {
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return Internal("deflateInit2 failed");
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  size_t produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Internal("gzip compression failed");
  out.resize(produced);
  return out;
}

Result<std::string> GzipDecompress(std::string_view data) {
  if (data.empty()) return Corruption("gzip: empty stream");
  std::string out;
  size_t offset = 0;
  char buf[64 * 1024];
  while (offset < data.size()) {
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) return Internal("inflateInit2 failed");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + offset));
    zs.avail_in = static_cast<uInt>(data.size() - offset);
    int rc;
    do {
      zs.next_out = reinterpret_cast<Bytef*>(buf);
      zs.avail_out = sizeof buf;
      rc = inflate(&zs, Z_NO_FLUSH);
      // Z_BUF_ERROR with input left over cannot happen (a full 64 KiB is offered each time); with none left,
      // the member was truncated.
      if (rc != Z_OK && rc != Z_STREAM_END) {
        std::string what = zs.msg != nullptr ? zs.msg : "data is damaged or truncated";
        inflateEnd(&zs);
        return Corruption("gzip: " + what);
      }
      out.append(buf, sizeof buf - zs.avail_out);
    } while (rc != Z_STREAM_END);
    offset += zs.total_in;
    inflateEnd(&zs);
  }
  return out;
}

}  // namespace brewline
