"""Builds the smallest morphology database camel-tools' `MorphologyDB` reads, for tests: a
`morphology.db` in CALIMA's layout (DEFINES, DEFAULTS, ORDER, TOKENIZATIONS, STEMBACKOFF,
PREFIXES, SUFFIXES, STEMS and the three compatibility tables) with a few prefixes and four stems,
each with a root, a gloss and a lemma/part-of-speech log-probability as CALIMA gives them. Keys
are written as camel-tools' analyser looks them up: without harakat, alef forms folded."""

from pathlib import Path

DEFINES = [
    "DEFINE asp asp:c asp:i asp:p asp:na",
    "DEFINE bw bw:*open*",
    "DEFINE diac diac:*open*",
    "DEFINE gloss gloss:*open*",
    "DEFINE lex lex:*open*",
    "DEFINE pos pos:noun pos:noun_prop pos:verb pos:adj pos:conj pos:prep pos:digit pos:punc pos:latin",
    "DEFINE prc2 prc2:0 prc2:wa_conj",
    "DEFINE prc1 prc1:0 prc1:li_prep",
    "DEFINE prc0 prc0:0 prc0:Al_det",
    "DEFINE root root:*open*",
    "DEFINE source source:lex source:spvar source:backoff",
    "DEFINE pos_lex_logprob pos_lex_logprob:*open*",
]
DEFAULTS = [
    f"DEFAULT pos:{pos} asp:na prc2:0 prc1:0 prc0:0 diac:* lex:* bw:* gloss:* root:* source:lex"
    for pos in ("noun", "noun_prop", "verb", "digit", "punc", "latin")
]
ORDER = "ORDER pos diac lex bw gloss root asp prc2 prc1 prc0 source pos_lex_logprob"
# key, category, features
PREFIXES = [
    ("", "Pref-0", "diac: bw: gloss:"),
    ("و", "Pref-Wa", "diac:وَ bw:وَ/CONJ gloss:and prc2:wa_conj"),
    ("ول", "Pref-WaLi", "diac:وَلِ bw:وَ/CONJ+لِ/PREP gloss:and+for;to prc2:wa_conj prc1:li_prep"),
    ("ال", "Pref-Al", "diac:ال bw:ال/DET gloss:the prc0:Al_det"),
]
SUFFIXES = [("", "Suff-0", "diac: bw: gloss:")]
STEMS = [
    (
        "رئيس",
        "N",
        "diac:رَئِيس bw:رَئِيس/NOUN lex:رَئِيس_1 gloss:president;head;chairman pos:noun root:ر.ء.س "
        "source:lex pos_lex_logprob:-3.1",
    ),
    (
        "وزير",
        "N",
        "diac:وَزِير bw:وَزِير/NOUN lex:وَزِير_1 gloss:minister;vizier pos:noun root:و.ز.ر source:lex pos_lex_logprob:-3.3",
    ),
    # و + زير: a rarer reading the ranking must put second.
    ("زير", "N", "diac:زِير bw:زِير/NOUN lex:زِير_1 gloss:large_jar pos:noun root:ز.ي.ر source:lex pos_lex_logprob:-6.5"),
    (
        "تركيا",
        "Nprop",
        "diac:تُرْكِيا bw:تُرْكِيا/NOUN_PROP lex:تُرْكِيا_1 gloss:Turkey pos:noun_prop root:NTWS "
        "source:lex pos_lex_logprob:-4.2",
    ),
]
TABLE_AB = [
    (prefix, stem)
    for prefix in ("Pref-0", "Pref-Wa", "Pref-WaLi", "Pref-Al")
    for stem in ("N", "Nprop")
    if not (prefix == "Pref-Al" and stem == "Nprop")
]
TABLE_BC = [("N", "Suff-0"), ("Nprop", "Suff-0")]
TABLE_AC = [(prefix, "Suff-0") for prefix in ("Pref-0", "Pref-Wa", "Pref-WaLi", "Pref-Al")]


def database_text() -> str:
    lines = ["###DEFINES###", *DEFINES, "###DEFAULTS###", *DEFAULTS, "###ORDER###", ORDER]
    lines += ["###TOKENIZATIONS###", "TOKENIZATION diac", "###STEMBACKOFF###", "STEMBACKOFF ALL NOAN"]
    lines += ["###PREFIXES###", *("\t".join(row) for row in PREFIXES)]
    lines += ["###SUFFIXES###", *("\t".join(row) for row in SUFFIXES)]
    lines += ["###STEMS###", *("\t".join(row) for row in STEMS)]
    lines += ["###TABLE AB###", *(" ".join(row) for row in TABLE_AB)]
    lines += ["###TABLE BC###", *(" ".join(row) for row in TABLE_BC)]
    lines += ["###TABLE AC###", *(" ".join(row) for row in TABLE_AC)]
    return "\n".join(lines) + "\n"


def build_database(folder: Path) -> Path:
    """`folder/morphology.db` and a LICENSE beside it, as camel-tools' package holds them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "morphology.db").write_text(database_text(), encoding="utf-8")
    (folder / "LICENSE").write_text("Test licence for a database built by the test.\n", encoding="utf-8")
    return folder / "morphology.db"
