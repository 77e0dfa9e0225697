// Bands, data-problem handling, features, CSV reading, folds and metrics: the pure parts of the classifier.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "ml/bands.h"
#include "ml/dataset.h"
#include "ml/evaluation.h"
#include "ml/features.h"
#include "punkapi_data.h"

namespace brewline::ml {
namespace {

TEST(Bands, DefaultSixBandsAndLabels) {
  Bands b;
  ASSERT_EQ(b.count(), 6);
  EXPECT_EQ(b.label(0), "[0,20)");
  EXPECT_EQ(b.label(5), "[100,inf)");
  EXPECT_EQ(b.BandOf(0), 0);
  EXPECT_EQ(b.BandOf(19.99), 0);
  EXPECT_EQ(b.BandOf(20), 1);
  EXPECT_EQ(b.BandOf(99.9), 4);
  EXPECT_EQ(b.BandOf(100), 5);
  EXPECT_EQ(b.BandOf(1157), 5);
  EXPECT_TRUE(std::isinf(b.high(5)));
  EXPECT_EQ(b.EdgesText(), "20,40,60,80,100");
  EXPECT_EQ(b.name(0), "0-20");
  EXPECT_EQ(b.name(5), "100+");
}

TEST(Bands, ParseValidatesEdges) {
  auto b = Bands::Parse("30, 60");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->count(), 3);
  EXPECT_EQ(b->label(1), "[30,60)");
  EXPECT_FALSE(Bands::Parse("").ok());
  EXPECT_FALSE(Bands::Parse("20,x").ok());
  EXPECT_FALSE(Bands::Parse("40,20").ok());
  EXPECT_FALSE(Bands::Parse("0,20").ok());
  EXPECT_NE(Bands::Parse("40,40").status().message().find("strictly increasing"), std::string::npos);
}

beer::CleanedBeer Beer(std::optional<double> ibu, std::optional<double> fg, std::optional<double> og,
                       std::optional<double> ph) {
  beer::CleanedBeer b;
  b.id = 1;
  b.name = "x";
  b.abv = 5;
  b.ibu = ibu;
  b.target_fg = fg;
  b.target_og = og;
  b.ph = ph;
  return b;
}

TEST(Cleaning, EachKnownProblemIsHandledAndCounted) {
  CleaningReport report;
  auto a = Beer(1085, 1010, 1085, 4.4);
  CleanBeer(a, {}, &report);
  EXPECT_FALSE(a.ibu.has_value());
  auto p = Beer(65, 1018, 1085, 79);
  CleanBeer(p, {}, &report);
  EXPECT_FALSE(p.ph.has_value());
  EXPECT_EQ(*p.ibu, 65);
  auto s = Beer(50, 1085, 1016, 4.2);
  CleanBeer(s, {}, &report);
  EXPECT_EQ(*s.target_fg, 1016);
  EXPECT_EQ(*s.target_og, 1085);
  EXPECT_EQ(report.ibu_equal_to_og, 1);
  EXPECT_EQ(report.ph_out_of_range, 1);
  EXPECT_EQ(report.fg_above_og_swapped, 1);

  auto untouched = Beer(1085, 1085, 1016, 79);
  CleanBeer(untouched, CleaningOptions::None(), nullptr);
  EXPECT_EQ(*untouched.ibu, 1085);
  EXPECT_EQ(*untouched.ph, 79);
  EXPECT_EQ(*untouched.target_fg, 1085);
}

TEST(Cleaning, PunkapiDatasetHasExactlyTheDocumentedProblems) {
  auto beers = testdata::PunkapiBeers();
  ASSERT_EQ(beers.size(), 325u);
  auto data = BuildDataset(beers, Bands(), {});
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_EQ(data->cleaning.ibu_equal_to_og, 2);
  EXPECT_EQ(data->cleaning.ph_out_of_range, 1);
  EXPECT_EQ(data->cleaning.fg_above_og_swapped, 13);
  EXPECT_EQ(data->rows(), 318);  // 325 − 5 without IBU − 2 IBU=OG
  EXPECT_EQ(data->rows_without_ibu, 7);
}

TEST(Features, DerivedFeaturesAndMissingness) {
  beer::CleanedBeer b;
  b.abv = 6.5;
  b.target_og = 1050;
  b.target_fg = 1010;
  b.ebc = 20;
  b.srm = 10;
  float f[kNumFeatures];
  ComputeFeatures(b, f);
  EXPECT_FLOAT_EQ(f[6], 50);          // og points
  EXPECT_FLOAT_EQ(f[7], 40.0f / 50);  // apparent attenuation
  EXPECT_FLOAT_EQ(f[8], 6.5f / 50);
  EXPECT_FLOAT_EQ(f[9], 2);
  EXPECT_TRUE(std::isnan(f[5]));  // ph missing stays missing

  EXPECT_TRUE(std::isnan(f[10]));  // no name, no style
  EXPECT_EQ(f[11], 0);              // style family "none"

  beer::CleanedBeer empty;
  ComputeFeatures(empty, f);
  for (int i = 0; i < kNumFeatures; ++i) {
    if (kFeatureNames[i] != "style_family" && kFeatureNames[i] != "hop_word") {
      EXPECT_TRUE(std::isnan(f[i])) << kFeatureNames[i];
    }
  }
  EXPECT_TRUE(AllFeaturesMissing(empty));
  empty.target_og = 1000;  // zero OG points: ratios are missing, not infinite
  ComputeFeatures(empty, f);
  EXPECT_TRUE(std::isnan(f[7]));
  EXPECT_FALSE(AllFeaturesMissing(empty));
}

TEST(Features, HopWordOnTheName) {
  EXPECT_EQ(HopWord("Nelson Sauvin - IPA Is Dead"), 1);
  EXPECT_EQ(HopWord("CITRA"), 1);
  EXPECT_EQ(HopWord("Hoppy Christmas"), 1);
  EXPECT_EQ(HopWord("Shopping Stout"), 0);  // whole words only
  EXPECT_EQ(HopWord("Punk IPA"), 0);
  EXPECT_EQ(HopWord(""), 0);
  EXPECT_EQ(HopWord(std::string(300, 'x') + " citra"), 0);  // beyond the first 255 bytes
  beer::CleanedBeer b;
  b.abv = 5;
  float f[kNumFeatures];
  ComputeFeatures(b, "Simcoe Single Hop", f);
  EXPECT_EQ(f[12], 1);
}

TEST(Features, StyleLexiconOnTheName) {
  // Specific styles win over the general word they contain; matching is case-insensitive on word boundaries.
  EXPECT_EQ(StyleIbuPrior("Double IPA - Russian Doll"), 90);
  EXPECT_EQ(StyleIbuPrior("Punk IPA 2010 - Current"), 60);
  EXPECT_EQ(StyleIbuPrior("Shareholder Black IPA 2011"), 70);
  EXPECT_EQ(StyleIbuPrior("India Session Lager - Prototype Challenge"), 45);
  EXPECT_EQ(StyleIbuPrior("Berliner Weisse With Yuzu - B-Sides"), 5);
  EXPECT_EQ(StyleIbuPrior("VAGABOND PILSNER"), 35);
  EXPECT_EQ(StyleIbuPrior("Black Tokyo Horizon (w/Nøgne Ø & Mikkeller) Stout"), 40);
  EXPECT_EQ(StyleIbuPrior("Old World Russian Imperial Stout"), 70);
  EXPECT_EQ(StyleIbuPrior("Barley Wine - Russian Doll"), 75);
  EXPECT_TRUE(std::isnan(StyleIbuPrior("Hipa Lagerhaus")));  // words, not substrings: not "ipa", not "lager"
  EXPECT_TRUE(std::isnan(StyleIbuPrior("Zeitgeist")));
  EXPECT_TRUE(std::isnan(StyleIbuPrior("")));
  EXPECT_TRUE(std::isnan(StyleIbuPrior(std::string(300, 'x') + " Stout")));  // beyond the first 255 bytes
  EXPECT_EQ(StyleIbuPrior(std::string(240, 'x') + " Stout"), 40);

  beer::CleanedBeer b;
  float f[kNumFeatures];
  const std::pair<const char*, float> families[] = {
      {"Blitz Berliner Weisse", 1}, {"Baby Saison", 2}, {"Libertine Porter", 3}, {"Hardcore IPA", 4}, {"Edge", 0}};
  for (const auto& [name, family] : families) {
    b.name = name;
    ComputeFeatures(b, f);
    EXPECT_EQ(f[11], family) << name;
  }
}

TEST(Dataset, BadInputIsOneClearError) {
  EXPECT_NE(BuildDataset({}, Bands(), {}).status().message().find("the table is empty"), std::string::npos);
  std::vector<beer::CleanedBeer> no_ibu(3);
  for (auto& b : no_ibu) b.abv = 5;
  EXPECT_NE(BuildDataset(no_ibu, Bands(), {}).status().message().find("has an IBU"), std::string::npos);
  std::vector<beer::CleanedBeer> no_features(3);
  for (auto& b : no_features) b.ibu = 30;
  auto s = BuildDataset(no_features, Bands(), {}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("every feature"), std::string::npos);
}

TEST(Dataset, RowsAreInIdOrderWhateverTheInputOrder) {
  std::vector<beer::CleanedBeer> beers = testdata::PunkapiBeers();
  auto sorted = BuildDataset(beers, Bands(), {});
  std::reverse(beers.begin(), beers.end());
  auto reversed = BuildDataset(beers, Bands(), {});
  ASSERT_TRUE(sorted.ok() && reversed.ok());
  EXPECT_TRUE(std::is_sorted(sorted->ids.begin(), sorted->ids.end()));
  EXPECT_EQ(sorted->ids, reversed->ids);
  EXPECT_EQ(DataFingerprint(*sorted), DataFingerprint(*reversed));
}

TEST(Dataset, ReadCleanedCsv) {
  auto beers = ReadCleanedCsv("id,name,abv,ibu,target_fg,target_og,ebc,srm,ph\n1,\"A, B\",5,,1010,1050,,,4.4\n");
  ASSERT_TRUE(beers.ok()) << beers.status().ToString();
  ASSERT_EQ(beers->size(), 1u);
  EXPECT_EQ((*beers)[0].name, "A, B");
  EXPECT_FALSE((*beers)[0].ibu.has_value());
  EXPECT_EQ(*(*beers)[0].ph, 4.4);
  EXPECT_NE(ReadCleanedCsv("id,name\n").status().message().find("header"), std::string::npos);
  EXPECT_FALSE(ReadCleanedCsv("").ok());
  auto bad = ReadCleanedCsv("id,name,abv,ibu,target_fg,target_og,ebc,srm,ph\n1,a,x,,,,,,\n");
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos) << bad.status().ToString();
}

TEST(Folds, StratifiedBalancedAndDeterministic) {
  std::vector<int> band;
  for (int b = 0; b < 6; ++b) for (int i = 0; i < 7 + 3 * b; ++i) band.push_back(b);
  auto folds = MakeStratifiedFolds(band, Bands(), 5, 3, 42);
  ASSERT_TRUE(folds.ok());
  auto again = MakeStratifiedFolds(band, Bands(), 5, 3, 42);
  EXPECT_EQ(folds->assignment, again->assignment);
  EXPECT_NE(folds->assignment[0], folds->assignment[1]);  // repeats reshuffle
  for (const auto& a : folds->assignment) {
    for (int b = 0; b < 6; ++b) {
      std::vector<int> per_fold(5, 0);
      for (size_t i = 0; i < band.size(); ++i) if (band[i] == b) per_fold[a[i]]++;
      const int lo = *std::min_element(per_fold.begin(), per_fold.end());
      const int hi = *std::max_element(per_fold.begin(), per_fold.end());
      EXPECT_LE(hi - lo, 1) << "band " << b;
    }
  }
}

TEST(Folds, BandWithFewerRowsThanFoldsIsAnError) {
  std::vector<int> band = {0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5};
  auto s = MakeStratifiedFolds(band, Bands(), 5, 1, 0).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("band [0,20) has 3 rows, fewer than the 5 folds"), std::string::npos) << s.ToString();
}

TEST(Metrics, KnownConfusion) {
  // truth 0,0,1,1,2,2 ; predicted 0,1,1,1,0,2
  Metrics m = ComputeMetrics({0, 0, 1, 1, 2, 2}, {0, 1, 1, 1, 0, 2}, 3);
  EXPECT_DOUBLE_EQ(m.accuracy, 4.0 / 6);
  EXPECT_DOUBLE_EQ(m.within_one_band, 5.0 / 6);
  EXPECT_DOUBLE_EQ(m.precision[1], 2.0 / 3);
  EXPECT_DOUBLE_EQ(m.recall[1], 1.0);
  EXPECT_DOUBLE_EQ(m.precision[0], 0.5);
  EXPECT_EQ(m.confusion[2][0], 1);
  // f1: band0 0.5, band1 0.8, band2 2/3
  EXPECT_NEAR(m.macro_f1, (0.5 + 0.8 + 2.0 / 3) / 3, 1e-12);
}

}  // namespace
}  // namespace brewline::ml
