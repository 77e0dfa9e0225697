"""The brewing style lexicon on beer names, mirrored byte for byte from the C++ kStyleLexicon / StyleIbuPrior in
src/ml/features.cc, for the Python side of the benchmarks (bench/ml/goal_experiments.py, the Flask peer of
bench/server). A space at either end of a word is a word boundary: names are normalised to
" lowercase words between single spaces ". Changing the C++ list means changing this one.
"""
import math

STYLE_LEXICON = [
    ("berliner", 5), ("weisse", 5), (" gose ", 8), (" sour ", 8), (" wild ", 8), ("lambic", 8), ("gueuze", 8),
    ("kriek", 8), ("double ipa", 90), ("imperial ipa", 90), (" dipa ", 90), ("triple ipa", 90), (" iipa ", 90),
    ("black ipa", 70), ("black india", 70), ("session ipa", 45), ("india session", 45), (" ipa ", 60),
    ("india pale", 60), ("imperial stout", 70), ("russian imperial", 70), ("king imp", 70), (" imp ", 70),
    ("barley wine", 75), ("barleywine", 75), (" stout ", 40), (" porter ", 35), ("scotch ale", 25),
    ("wee heavy", 25), ("brown ale", 25), ("red ale", 30), (" amber ", 30), (" bitter ", 35), (" esb ", 35),
    ("pale ale", 40), (" pale ", 40), ("saison", 28), ("farmhouse", 28), ("weizen", 13), (" wheat ", 13),
    (" wit ", 13), ("witbier", 13), ("hefe", 13), ("helles", 20), ("pils", 35), (" lager ", 22), ("blonde", 20),
    ("golden", 20), ("cream ale", 15), ("trappist", 25), ("dubbel", 25), ("tripel", 25), ("quadrupel", 25),
    ("abbey", 25), ("belgian", 25), (" bock ", 22), ("doppelbock", 22),
]
def normalise_name(name):
    out = bytearray(b" ")
    for u in name.encode()[:255]:
        o = u + 32 if 65 <= u <= 90 else u if (97 <= u <= 122 or 48 <= u <= 57 or u >= 128) else 32
        if o == 32 and out[-1] == 32: continue
        out.append(o)
    if out[-1] != 32: out.append(32)
    return out.decode("latin-1")
def style_prior(name):
    s = normalise_name(name)
    for w, v in STYLE_LEXICON:
        if w in s: return float(v)
    return float("nan")


def style_family(prior):
    """style_ibu_prior bucketed like the C++ StyleFamily: 0 no style word, 1 <16, 2 <29, 3 <46, 4 >=46 IBU."""
    if math.isnan(prior):
        return 0.0
    return 1.0 if prior < 16 else 2.0 if prior < 29 else 3.0 if prior < 46 else 4.0


# Common hop varieties and the word hop itself, each a whole word: mirrored from the C++ kHopWords / HopWord in
# src/ml/features.cc (a generic list, written without looking at the bands).
HOP_WORDS = [" " + w + " " for w in (
    "hop hops hoppy hopped citra galaxy motueka nelson sauvin sorachi amarillo chinook simcoe mosaic cascade "
    "centennial columbus ella pioneer mandarina kohatu dana goldings bramling challenger hbc comet waimea "
    "equinox ekuanot azacca enigma vic secret hallertau saaz tettnang magnum nugget riwaka rakau wakatu "
    "pacifica topaz apollo bravo warrior summit jester olicana cluster fuggle fuggles target northdown").split()]


def hop_word(name):
    """1.0 when the name names a hop variety or hops as a whole word, like the C++ HopWord; else 0.0."""
    s = normalise_name(name)
    return float(any(w in s for w in HOP_WORDS))
