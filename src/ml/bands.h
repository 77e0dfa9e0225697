// IBU bands: the classes of the IBU classifier. Edges e1 < e2 < … < ek split [0, ∞) into k+1 half-open bands
// [0,e1), [e1,e2), …, [ek,∞). The default edges 20,40,60,80,100 give six bands (see docs/model.md for why).
// Immutable after construction; thread-safe.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace brewline::ml {

class Bands {
 public:
  // The default six bands.
  Bands();
  // Edges must be finite, > 0 and strictly increasing; at least one edge (two bands).
  static Result<Bands> FromEdges(std::vector<double> edges);
  // Parses "20,40,60,80,100".
  static Result<Bands> Parse(std::string_view text);

  int count() const { return static_cast<int>(edges_.size()) + 1; }
  const std::vector<double>& edges() const { return edges_; }
  // Band index of an IBU value (negative values count as band 0).
  int BandOf(double ibu) const;
  double low(int band) const { return band == 0 ? 0.0 : edges_[band - 1]; }
  // +infinity for the last band.
  double high(int band) const {
    return band == count() - 1 ? std::numeric_limits<double>::infinity() : edges_[band];
  }
  // "[20,40)" / "[100,inf)"; labels_[i] computed once.
  const std::string& label(int band) const { return labels_[band]; }
  // CSV- and identifier-friendly name: "20-40", "100+" (used in prediction CSV columns p_<name>).
  const std::string& name(int band) const { return names_[band]; }
  // "20,40,60,80,100".
  std::string EdgesText() const;

  bool operator==(const Bands& other) const { return edges_ == other.edges_; }

 private:
  explicit Bands(std::vector<double> edges);
  std::vector<double> edges_;
  std::vector<std::string> labels_;
  std::vector<std::string> names_;
};

// Shortest text of a number as used in band labels and CSV ("20", "12.5").
std::string FormatNumber(double v);

}  // namespace brewline::ml
