#include "ml/bands.h"

#include <charconv>
#include <cmath>

namespace brewline::ml {

std::string FormatNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

Bands::Bands() : Bands(std::vector<double>{20, 40, 60, 80, 100}) {}

Bands::Bands(std::vector<double> edges) : edges_(std::move(edges)) {
  for (int b = 0; b < count(); ++b) {
    labels_.push_back("[" + FormatNumber(low(b)) + "," + FormatNumber(high(b)) + ")");
    names_.push_back(b == count() - 1 ? FormatNumber(low(b)) + "+" : FormatNumber(low(b)) + "-" + FormatNumber(high(b)));
  }
}

Result<Bands> Bands::FromEdges(std::vector<double> edges) {
  if (edges.empty()) return InvalidArgument("bands need at least one edge (two bands)");
  for (size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i]) || edges[i] <= 0) {
      return InvalidArgument("band edge " + FormatNumber(edges[i]) + " must be a finite number > 0");
    }
    if (i > 0 && edges[i] <= edges[i - 1]) {
      return InvalidArgument("band edges must be strictly increasing, got " + FormatNumber(edges[i - 1]) +
                             " then " + FormatNumber(edges[i]));
    }
  }
  return Bands(std::move(edges));
}

Result<Bands> Bands::Parse(std::string_view text) {
  std::vector<double> edges;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view part = text.substr(pos, comma - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    double v = 0;
    auto res = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || res.ec != std::errc() || res.ptr != part.data() + part.size()) {
      return InvalidArgument("band edges: '" + std::string(part) + "' is not a number (expected e.g. 20,40,60,80,100)");
    }
    edges.push_back(v);
    pos = comma + 1;
  }
  return FromEdges(std::move(edges));
}

int Bands::BandOf(double ibu) const {
  int band = 0;
  while (band < static_cast<int>(edges_.size()) && ibu >= edges_[band]) ++band;
  return band;
}

std::string Bands::EdgesText() const {
  std::string out;
  for (size_t i = 0; i < edges_.size(); ++i) {
    if (i) out += ',';
    out += FormatNumber(edges_[i]);
  }
  return out;
}

}  // namespace brewline::ml
