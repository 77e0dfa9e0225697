#include "ml/features.h"

#include <cmath>
#include <limits>

namespace brewline::ml {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

float F(const std::optional<double>& v) { return v ? static_cast<float>(*v) : kMissing; }

// a / b, missing when either is missing or b is not meaningfully positive.
float Ratio(const std::optional<double>& a, double b) {
  if (!a || !(b > 1e-9)) return kMissing;
  return static_cast<float>(*a / b);
}

}  // namespace

void CleanBeer(beer::CleanedBeer& b, const CleaningOptions& options, CleaningReport* report) {
  CleaningReport local;
  CleaningReport& r = report ? *report : local;
  // Compare with the row as entered (before any swap): the copy error put the OG value into the IBU column.
  if (options.ibu_equal_to_og_is_unknown && b.ibu && b.target_og && *b.ibu == *b.target_og) {
    b.ibu.reset();
    r.ibu_equal_to_og++;
  }
  if (options.ph_out_of_range_is_missing && b.ph && (*b.ph < 0 || *b.ph > 14)) {
    b.ph.reset();
    r.ph_out_of_range++;
  }
  if (options.swap_fg_above_og && b.target_fg && b.target_og && *b.target_fg > *b.target_og) {
    std::swap(b.target_fg, b.target_og);
    r.fg_above_og_swapped++;
  }
}

void ComputeFeatures(const beer::CleanedBeer& b, float* out) {
  out[0] = F(b.abv);
  out[1] = F(b.target_fg);
  out[2] = F(b.target_og);
  out[3] = F(b.ebc);
  out[4] = F(b.srm);
  out[5] = F(b.ph);
  const double og_points = b.target_og ? *b.target_og - 1000.0 : std::nan("");
  out[6] = b.target_og ? static_cast<float>(og_points) : kMissing;
  out[7] = (b.target_og && b.target_fg) ? Ratio(*b.target_og - *b.target_fg, og_points) : kMissing;
  out[8] = b.target_og ? Ratio(b.abv, og_points) : kMissing;
  out[9] = b.srm ? Ratio(b.ebc, *b.srm) : kMissing;
}

bool AllFeaturesMissing(const beer::CleanedBeer& b) {
  return !b.abv && !b.target_fg && !b.target_og && !b.ebc && !b.srm && !b.ph;
}

}  // namespace brewline::ml
