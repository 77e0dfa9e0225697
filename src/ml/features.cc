#include "ml/features.h"

#include <cmath>
#include <limits>
#include <string_view>

namespace brewline::ml {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();

float F(const std::optional<double>& v) { return v ? static_cast<float>(*v) : kMissing; }

// a / b, missing when either is missing or b is not meaningfully positive.
float Ratio(const std::optional<double>& a, double b) {
  if (!a || !(b > 1e-9)) return kMissing;
  return static_cast<float>(*a / b);
}

// A style word and the middle of its style's typical IBU range (BJCP-style guidelines). A space at either end
// of a word means a word boundary there (the name is normalised to lowercase words between single spaces).
// First match wins: specific styles ("double ipa") precede the general ones ("ipa").
struct StyleWord {
  std::string_view text;
  float ibu;
};
constexpr StyleWord kStyleLexicon[] = {
    {"berliner", 5},      {"weisse", 5},        {" gose ", 8},           {" sour ", 8},
    {" wild ", 8},        {"lambic", 8},        {"gueuze", 8},           {"kriek", 8},
    {"double ipa", 90},   {"imperial ipa", 90}, {" dipa ", 90},          {"triple ipa", 90},
    {" iipa ", 90},       {"black ipa", 70},    {"black india", 70},     {"session ipa", 45},
    {"india session", 45}, {" ipa ", 60},       {"india pale", 60},      {"imperial stout", 70},
    {"russian imperial", 70}, {"king imp", 70}, {" imp ", 70},           {"barley wine", 75},
    {"barleywine", 75},   {" stout ", 40},      {" porter ", 35},        {"scotch ale", 25},
    {"wee heavy", 25},    {"brown ale", 25},    {"red ale", 30},         {" amber ", 30},
    {" bitter ", 35},     {" esb ", 35},        {"pale ale", 40},        {" pale ", 40},
    {"saison", 28},       {"farmhouse", 28},    {"weizen", 13},          {" wheat ", 13},
    {" wit ", 13},        {"witbier", 13},      {"hefe", 13},            {"helles", 20},
    {"pils", 35},         {" lager ", 22},      {"blonde", 20},          {"golden", 20},
    {"cream ale", 15},    {"trappist", 25},     {"dubbel", 25},          {"tripel", 25},
    {"quadrupel", 25},    {"abbey", 25},        {"belgian", 25},         {" bock ", 22},
    {"doppelbock", 22},
};
constexpr size_t kMaxNameBytes = 255;

// Common hop varieties and the word hop itself, each a whole word (spaces on both sides).
constexpr std::string_view kHopWords[] = {
    " hop ",      " hops ",     " hoppy ",     " hopped ",   " citra ",    " galaxy ",   " motueka ",
    " nelson ",   " sauvin ",   " sorachi ",   " amarillo ", " chinook ",  " simcoe ",   " mosaic ",
    " cascade ",  " centennial ", " columbus ", " ella ",     " pioneer ",  " mandarina ", " kohatu ",
    " dana ",     " goldings ", " bramling ",  " challenger ", " hbc ",    " comet ",    " waimea ",
    " equinox ",  " ekuanot ",  " azacca ",    " enigma ",   " vic ",      " secret ",   " hallertau ",
    " saaz ",     " tettnang ", " magnum ",    " nugget ",   " riwaka ",   " rakau ",    " wakatu ",
    " pacifica ", " topaz ",    " apollo ",    " bravo ",    " warrior ",  " summit ",   " jester ",
    " olicana ",  " cluster ",  " fuggle ",    " fuggles ",  " target ",   " northdown ",
};

// " " + lowercase words separated by single spaces + " " into buf (kMaxNameBytes + 2 bytes). Bytes >= 0x80
// (UTF-8 letters) count as letters.
std::string_view NormaliseName(std::string_view name, char* buf) {
  size_t n = 0;
  buf[n++] = ' ';
  for (char c : name.substr(0, kMaxNameBytes)) {
    const unsigned char u = static_cast<unsigned char>(c);
    char out = ' ';
    if (u >= 'A' && u <= 'Z') out = static_cast<char>(u - 'A' + 'a');
    else if ((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u >= 0x80) out = c;
    if (out == ' ' && buf[n - 1] == ' ') continue;
    buf[n++] = out;
  }
  if (buf[n - 1] != ' ') buf[n++] = ' ';
  return std::string_view(buf, n);
}

// style_ibu_prior bucketed into coarse families; 0 = no style word.
float StyleFamily(float prior) {
  if (std::isnan(prior)) return 0;
  return prior < 16 ? 1 : prior < 29 ? 2 : prior < 46 ? 3 : 4;
}

}  // namespace

float StyleIbuPrior(std::string_view name) {
  char buf[kMaxNameBytes + 2];
  const std::string_view normalised = NormaliseName(name, buf);
  // Scan the lexicon in order so that the first listed style word found anywhere in the name wins.
  for (const StyleWord& w : kStyleLexicon) {
    if (normalised.find(w.text) != std::string_view::npos) return w.ibu;
  }
  return kMissing;
}

float HopWord(std::string_view name) {
  char buf[kMaxNameBytes + 2];
  const std::string_view normalised = NormaliseName(name, buf);
  for (std::string_view w : kHopWords) {
    if (normalised.find(w) != std::string_view::npos) return 1;
  }
  return 0;
}

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

void ComputeFeatures(const beer::CleanedBeer& b, float* out) { ComputeFeatures(b, b.name, out); }

void ComputeFeatures(const beer::CleanedBeer& b, std::string_view name, float* out) {
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
  out[10] = StyleIbuPrior(name);
  out[11] = StyleFamily(out[10]);
  out[12] = HopWord(name);
}

bool AllFeaturesMissing(const beer::CleanedBeer& b) {
  return !b.abv && !b.target_fg && !b.target_og && !b.ebc && !b.srm && !b.ph;
}

}  // namespace brewline::ml
