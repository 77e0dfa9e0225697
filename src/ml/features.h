// The classifier's features and the explicit handling of known punkapi-db data problems.
//
// Data problems (each handled by an option so that evaluation can compare with and without it):
// - IBU equal to the beer's original gravity (ids 137 "Sink The Bismarck!" 1085, 185 "Tactical Nuclear
//   Penguin" 1157): a copy error, not a bitterness. The IBU is treated as unknown: not trained on, predicted.
// - pH outside [0, 14] (id 317: 79, presumably 7.9 or 4.x): physically impossible, becomes missing.
// - Final gravity above original gravity (13 beers): the two columns were swapped at entry (every one of
//   them reads, swapped, as a normal ale); they are swapped back.
// Features never invent values: a missing measure stays missing (NaN) and XGBoost routes it by its learnt
// default direction. The name contributes only through a fixed brewing style lexicon (StyleIbuPrior), written
// from style guidelines in advance, never fitted to the labels.
//
// Everything here is a pure function; thread-safe.
#pragma once

#include <array>
#include <string_view>

#include "beer/beer.h"

namespace brewline::ml {

struct CleaningOptions {
  bool ibu_equal_to_og_is_unknown = true;
  bool ph_out_of_range_is_missing = true;
  bool swap_fg_above_og = true;

  static CleaningOptions None() { return {false, false, false}; }
  bool operator==(const CleaningOptions&) const = default;
};

// How many rows each rule changed.
struct CleaningReport {
  int ibu_equal_to_og = 0;
  int ph_out_of_range = 0;
  int fg_above_og_swapped = 0;
};

// Applies the enabled rules to `b` in place, counting changes into *report (may be null).
void CleanBeer(beer::CleanedBeer& b, const CleaningOptions& options, CleaningReport* report);

inline constexpr int kNumFeatures = 13;
// Order is the model's column order; stored in the model metadata and checked on load.
inline constexpr std::array<std::string_view, kNumFeatures> kFeatureNames = {{
    "abv", "target_fg", "target_og", "ebc", "srm", "ph",
    "og_points",             // target_og - 1000: the extract the hops are balanced against
    "apparent_attenuation",  // (og - fg) / (og - 1000): dry vs sweet finish; styles attenuate differently
    "abv_per_og_point",      // abv / (og - 1000): how much of the extract was fermented (adjuncts, sugar)
    "ebc_per_srm",           // ebc / srm: ≈1.97 by definition; deviations mark rows from different sources
    "style_ibu_prior",       // typical IBU of the style the name states ("Double IPA" 90, "Gose" 8), else NaN
    "style_family",          // style_ibu_prior bucketed: 0 no style word, 1 <16, 2 <29, 3 <46, 4 >=46 IBU
    "hop_word",              // 1 when the name names a hop variety or hops ("Citra", "Nelson Sauvin", "hoppy")
}};
// The first six are the measured columns; the rest derive from them.
inline constexpr int kNumMeasuredFeatures = 6;

// Writes kNumFeatures floats (NaN = missing) for an already cleaned beer. No allocation.
void ComputeFeatures(const beer::CleanedBeer& b, float* out);
// The same with the name given separately (`b.name` is ignored), so callers need not copy it into `b`.
void ComputeFeatures(const beer::CleanedBeer& b, std::string_view name, float* out);
// The middle of the typical IBU range of the first beer style named in `name` (case-insensitive, on word
// boundaries where the lexicon says so), or NaN when no style word occurs. Only the first 255 bytes count.
// Mirrored exactly by bench/ml/goal_experiments.py (style_prior). No allocation.
float StyleIbuPrior(std::string_view name);
// 1 when `name` contains a common hop variety or the word hop(s/py/ped) as a whole word, else 0 (a hop-showcase
// beer: "Citra", "Nelson Sauvin - IPA Is Dead"). A generic list, written without looking at the bands; mirrored by
// bench/ml/style_lexicon.py (hop_word). No allocation.
float HopWord(std::string_view name);
// True when every measured feature of `b` is missing (nothing to predict from).
bool AllFeaturesMissing(const beer::CleanedBeer& b);

}  // namespace brewline::ml
