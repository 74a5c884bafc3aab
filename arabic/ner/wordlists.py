"""What the shipped model knows of words beyond its corpora, stored with it.

Serving pages imports none of the packages these come from: `train_ner`
reads them and the model's stems file keeps what it read (folded as the
model reads words):

- given and family names: Faker's Arabic locales (MIT) and the foreign
  given names below;
- how common each form is in Arabic at large: wordfreq's Arabic list (data
  CC BY-SA 4.0), as whole numbers of its Zipf scale;
- people's full names from the names list (arwikicats, MIT; `names.py`).
"""

from functools import lru_cache

from ..text import normalize

# Given names Arabic news transcribes from other languages, written from
# general knowledge of the news. Not those that are also a common word:
# جو "weather", بول "urine", سام "poisonous", دان "condemned", لي "to me",
# آن "now", جان "offender", شي "thing".
FOREIGN_GIVEN_NAMES = """
    جون جيمس ديفيد دافيد مايكل روبرت ويليام وليام ريتشارد توماس تشارلز جورج بيتر مارك دونالد باراك هيلاري
    جوزيف جاكوب هنري إدوارد فرانك ستيفن ستيف كريس أليكس توني تيم بيل كيفن براين أندرو ماثيو دانيال إيريك
    جيريمي بوريس تيريزا ريشي جاستن جوستين إليزابيث ماري ماريا آنا كاثرين مارغريت سارة جوليا
    فلاديمير ديمتري سيرغي سيرجي أليكسي ميخائيل نيكولاي إيغور يوري إيفان أندريه
    إيمانويل نيكولا نيكولاس فرانسوا جاك بيير ميشال ميشيل لوران دومينيك آلان مارين سيغولين
    أنجيلا أولاف غيرهارد هيلموت فالتر يواكيم
    سيلفيو ماتيو جوزيبي جورجيو ماريو باولو جيانلويجي
    خوسيه خوسي كارلوس لويس خوان أنطونيو بابلو دييغو ليونيل كريستيانو فرناندو رافائيل بيدرو مانويل
    بنيامين أرييل إيهود شمعون أفيغدور يائير نفتالي موشيه إسحق
    كوفي نيلسون شينزو ناريندرا هاكان رجب مولود
"""


@lru_cache(maxsize=1)
def person_names() -> dict[str, str]:
    """Given and family names (folded): "given" or "family".

    Arabic names from Faker's Arabic locales, and the given names of
    `FOREIGN_GIVEN_NAMES`.
    """
    import importlib

    names: dict[str, str] = {normalize(name): "given" for name in FOREIGN_GIVEN_NAMES.split()}
    for locale in ("ar_AA", "ar_DZ", "ar_PS", "ar_SA"):
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for kind, attributes in (("family", ("last_names",)), ("given", ("first_names_male", "first_names_female"))):
            for attribute in attributes:
                for name in getattr(provider, attribute, ()):
                    words = normalize(name).split()
                    if len(words) == 1:
                        names[words[0]] = kind
    return dict(sorted(names.items()))


# Word lists stored with the model (see `word_lists`).
WORD_FREQUENCIES = True
LISTED_PEOPLE = True
# Forms at least this common in Arabic at large (Zipf) are stored with their frequency.
COMMON_ZIPF = 3.0


def word_lists() -> dict:
    """What the model knows of words beyond its corpora, stored with it so that serving imports none
    of their packages: given and family names (`person_names`), how common each form is in
    Arabic at large (`word_frequencies`), and people's full names from the names list."""
    lists: dict = {"names": person_names()}
    if WORD_FREQUENCIES:
        lists["freq"] = word_frequencies()
    if LISTED_PEOPLE:
        from .names import listed_people

        lists["people"] = listed_people()
    return lists


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, int]:
    """Folded Arabic forms seen at least COMMON_ZIPF on wordfreq's Zipf scale, with the scale's
    whole number (3 is once in a million words, 7 once in a hundred): data CC BY-SA 4.0."""
    import math

    from wordfreq import get_frequency_dict

    best: dict[str, float] = {}
    for word, frequency in get_frequency_dict("ar", wordlist="best").items():
        zipf = math.log10(frequency) + 9
        if zipf >= COMMON_ZIPF:
            folded = normalize(word)
            best[folded] = max(best.get(folded, 0.0), zipf)
    return {word: int(zipf) for word, zipf in sorted(best.items())}
