"""The gazetteer's seed, from data that ships with our dependencies (offline):

- CLDR through Babel: Arabic and English names of 295 territories, and of the
  time-zone exemplar cities (إسطنبول / Istanbul, غزة / Gaza, نيامي / Niamey …);
- iso-codes through pycountry: the Arabic short and official country names;
- `curated.py`: common short forms both lack (الإمارات) and a few
  organisations that news names daily.
"""

import gettext
import re
from dataclasses import dataclass, field

import pycountry
from babel import Locale

_ARABIC = re.compile(r"[\u0600-\u06ff]")
# Territories that are not places one can be in, or that are organisations.
_SKIPPED_TERRITORIES = {"001", "ZZ"}
_ORGANISATIONS = {"EU", "UN"}
# Time-zone exemplar cities whose Arabic name is, far more often, a common
# word: ترك "he left" (Chuuk), العيون "the eyes" (Laayoune).
_COMMON_WORD_CITIES = {"Pacific/Chuuk", "Africa/El_Aaiun"}
# Spellings Arabic writers use interchangeably for foreign sounds: "ng" as
# نغ or نج (هونغ كونغ / هونج كونج), "America" as أميركا or أمريكا.
_VARIANTS = (("نغ", "نج"), ("أميرك", "أمريك"), ("أمريك", "أميرك"))


@dataclass
class SeedEntity:
    key: str
    name_ar: str
    name_en: str
    type: str
    source: str
    aliases: list[str] = field(default_factory=list)
    aliases_en: list[str] = field(default_factory=list)

    def add_alias(self, name: str) -> None:
        name = name.strip()
        if name and name != self.name_ar and name not in self.aliases and _ARABIC.search(name):
            self.aliases.append(name)

    def add_spelling_variants(self) -> None:
        for name in [self.name_ar, *self.aliases]:
            for written, also in _VARIANTS:
                if written in name:
                    self.add_alias(name.replace(written, also))


def _territories(arabic: Locale, english: Locale) -> dict[str, SeedEntity]:
    entries = {}
    for code, name in arabic.territories.items():
        if code in _SKIPPED_TERRITORIES:
            continue
        kind = "region" if code.isdigit() else "country"
        entries[f"{kind}:{code}"] = SeedEntity(
            key=f"{kind}:{code}",
            name_ar=name,
            name_en=english.territories.get(code, ""),
            type="ORG" if code in _ORGANISATIONS else "LOC",
            source="cldr",
        )
    return entries


def _iso_names(entries: dict[str, SeedEntity]) -> None:
    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    for country in pycountry.countries:
        entry = entries.get(f"country:{country.alpha_2}")
        if entry is None:
            continue
        for attribute in ("name", "official_name", "common_name"):
            english = getattr(country, attribute, None)
            if english:
                translated = arabic.gettext(english)
                # "كوريا، جمهوريّة كوريا" is an index form, not a name in running text.
                if "،" not in translated and "," not in translated:
                    entry.add_alias(translated)


def _cities(arabic: Locale, english: Locale, country_names: set[str]) -> dict[str, SeedEntity]:
    entries = {}
    for zone, names in arabic.time_zones.items():
        city = names.get("city")
        # Where CLDR's exemplar city bears its country's name (الكويت, قطر),
        # running text almost always means the country.
        if not city or city in country_names or zone.startswith("Etc/") or zone in _COMMON_WORD_CITIES:
            continue
        # English exemplar names exist only where they differ from the zone id.
        name_en = english.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        entries[f"city:{zone}"] = SeedEntity(
            key=f"city:{zone}", name_ar=city, name_en=name_en, type="LOC", source="cldr"
        )
    return entries


def gazetteer_seed() -> list[SeedEntity]:
    """Every seeded entity, curated entries first (they win a name both claim)."""
    from .curated import ALIASES, ENGLISH_ALIASES, ENTITIES

    arabic, english = Locale("ar"), Locale("en")
    territories = _territories(arabic, english)
    _iso_names(territories)
    cities = _cities(arabic, english, {entry.name_ar for entry in territories.values()})
    existing = {**territories, **cities}

    curated = []
    for key, name_ar, name_en, _kind, aliases in ALIASES:
        entry = existing[key]
        for alias in [name_ar, *aliases]:
            entry.add_alias(alias)
        entry.name_en = name_en or entry.name_en
    for key, name_ar, name_en, kind, aliases in ENTITIES:
        entry = SeedEntity(key=key, name_ar=name_ar, name_en=name_en, type=kind, source="curated")
        for alias in aliases:
            entry.add_alias(alias)
        curated.append(entry)
    entries = curated + list(territories.values()) + list(cities.values())
    for entry in entries:
        entry.add_spelling_variants()
        entry.aliases_en = list(ENGLISH_ALIASES.get(entry.key, []))
    return entries
