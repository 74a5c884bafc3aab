"""Whether a document reads as an encyclopedia article or as news.

The corpora the model learns from disagree on some names by kind of text:
AQMAR's Wikipedia articles tag peoples and dynasties as persons (`المسلمين`,
`العباسيين`) and a national team with its head noun (`منتخب فرنسا`); the news
corpora do neither. The shipped CRF therefore gives every feature of an
encyclopedic document a second, prefixed copy (feature augmentation, Daumé
2007): it learns what both kinds of text share, and apart from it how
encyclopedias differ. At run time the kind of a document comes from this
small logistic regression over how its text is written, not what it is
about: verbs of saying, days and "yesterday", agencies and spokesmen for
news; the copula, "is considered", centuries, years and parentheses for an
encyclopedia. It is trained beside the CRF, on the same training documents.
"""

import math
import re
from functools import lru_cache

from ..text import normalize
from .features import stem_of

# Editors' decisions are training sentences of these corpora, by the kind recognition read their
# article as: they teach the CRF, never the genre model (which would learn its own judgements).
EDITED_NEWS, EDITED_ENCYCLOPEDIAS = "editor", "editor-encyclopedia"
ENCYCLOPEDIC_CORPORA = ("aqmar", EDITED_ENCYCLOPEDIAS)


def _words(text: str) -> frozenset[str]:
    return frozenset(normalize(word) for word in text.split())


# Groups of words whose share of a document's words tells its kind.
_CUES = {
    "say": _words("قال قالت يقول تقول أضاف أضافت أكد أكدت أعلن أعلنت صرح صرحت أوضح أوضحت أشار أشارت ذكر ذكرت تابع"),
    "time": _words(
        "اليوم أمس غدا الأسبوع الماضي الجاري المقبل الحالي الليلة صباح مساء "
        "الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد"
    ),
    "press": _words("وكالة الأنباء مراسل الصحفيين صحفي صحافي مصادر مصدر المتحدث بيان تصريحات مؤتمر"),
    "copula": _words("هو هي هم هما"),
    "define": _words("يعتبر تعتبر يعد تعد يسمى تسمى يعرف تعرف يطلق ويعرف ويسمى"),
    "era": _words("القرن قرن العصر عصر الفترة الميلادي الهجري ق م هـ"),
    "explain": _words("يمكن يتم تستخدم يستخدم تتكون يتكون عبارة أنواع نوع عدة مثل عادة غالبا بعض"),
    "speaker": _words("أنا نحن إننا إنني لقد سوف لن"),
}
_YEAR = re.compile(r"^1\d{3}$|^20\d{2}$")
_LATIN = re.compile(r"[A-Za-z]")
_QUOTES = frozenset('"«»“”')
FEATURES = (*_CUES, "year", "paren", "latin", "quote", "opening")


def document_features(sentences: list[list[str]]) -> list[float]:
    """Per hundred words, how often each cue occurs in a document given as sentences of words;
    `opening`: whether its first sentence defines its subject (a copula, "or", or a parenthesis
    among its first eight words)."""
    counts = [0] * (len(FEATURES) - 1)
    total = 0
    for words in sentences:
        for word in words:
            total += 1
            for index in _cues_of(word):
                counts[index] += 1
    rates = [100 * count / max(total, 1) for count in counts]
    first = [normalize(word) for word in (sentences[0] if sentences else [])[:8]]
    rates.append(float(any(word in ("هو", "هي", "هم", "او", "(") for word in first[1:])))
    return rates


@lru_cache(maxsize=100_000)
def _cues_of(word: str) -> tuple[int, ...]:
    """The features (by index) one word counts towards (cached: a text repeats its words)."""
    folded = normalize(word)
    stem = stem_of(folded)
    found = [index for index, cue in enumerate(_CUES.values()) if folded in cue or stem in cue]
    marks = (bool(_YEAR.match(word)), word == "(", bool(_LATIN.search(word)), word in _QUOTES)
    found += [len(_CUES) + index for index, mark in enumerate(marks) if mark]
    return tuple(found)


def train(documents: list[list[list[str]]], encyclopedic: list[bool], *, iterations: int = 400) -> dict:
    """Weights of the logistic regression, from documents (sentences of words) and their kind.

    Features are standardised; both kinds weigh the same whatever their
    counts; a little L2 keeps weights small where the data are few.
    """
    rows = [document_features(document) for document in documents]
    width = len(FEATURES)
    means = [sum(row[i] for row in rows) / len(rows) for i in range(width)]
    scales = [math.sqrt(sum((row[i] - means[i]) ** 2 for row in rows) / len(rows)) or 1.0 for i in range(width)]
    xs = [[(row[i] - means[i]) / scales[i] for i in range(width)] for row in rows]
    positives = sum(encyclopedic) or 1
    negatives = (len(encyclopedic) - sum(encyclopedic)) or 1
    weights_of = [0.5 / positives if kind else 0.5 / negatives for kind in encyclopedic]
    weights, bias, rate, l2 = [0.0] * width, 0.0, 0.5, 0.01
    for _ in range(iterations):
        gradient, gradient_bias = [l2 * w for w in weights], 0.0
        for x, kind, weight in zip(xs, encyclopedic, weights_of, strict=True):
            error = weight * (_sigmoid(bias + sum(w * v for w, v in zip(weights, x, strict=True))) - kind)
            gradient_bias += error
            for i in range(width):
                gradient[i] += error * x[i]
        weights = [w - rate * g for w, g in zip(weights, gradient, strict=True)]
        bias -= rate * gradient_bias
    return {"features": list(FEATURES), "means": means, "scales": scales, "weights": weights, "bias": bias}


def probability(model: dict, sentences: list[list[str]]) -> float:
    """How likely the document (sentences of words) is an encyclopedia article."""
    row = document_features(sentences)
    score = model["bias"] + sum(
        w * (v - m) / s for w, v, m, s in zip(model["weights"], row, model["means"], model["scales"], strict=True)
    )
    return _sigmoid(score)


def _sigmoid(value: float) -> float:
    if value < -30:
        return 0.0
    return 1 / (1 + math.exp(-value))
