"""The 98 Danish municipalities (kommuner): 3-digit municipality code, name and region.

A municipality is an organisation that owns classifications, profiles and sortimenter in Kodeks; it
is named by its municipality code (``751`` is Aarhus). Codes and names come from DAWA's DAGI
municipality table (Styrelsen for Dataforsyning og Effektivisering, MIT licence), without its test
rows and without ``411 Ertholmene`` (outside the municipal division). Regions come from
iholas/dk_municipalities (MIT) with Helsingør added; the region codes are DAGI's 1081-1085 (the
test table's own ``regionskode`` values are not real region codes and are not used).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    region_code: str
    region: str


REGIONS: dict[str, str] = {
    "1081": "Region Nordjylland",
    "1082": "Region Midtjylland",
    "1083": "Region Syddanmark",
    "1084": "Region Hovedstaden",
    "1085": "Region Sjælland",
}

_ROWS: tuple[tuple[str, str, str], ...] = (
    ("101", "København", "1084"),
    ("147", "Frederiksberg", "1084"),
    ("151", "Ballerup", "1084"),
    ("153", "Brøndby", "1084"),
    ("155", "Dragør", "1084"),
    ("157", "Gentofte", "1084"),
    ("159", "Gladsaxe", "1084"),
    ("161", "Glostrup", "1084"),
    ("163", "Herlev", "1084"),
    ("165", "Albertslund", "1084"),
    ("167", "Hvidovre", "1084"),
    ("169", "Høje-Taastrup", "1084"),
    ("173", "Lyngby-Taarbæk", "1084"),
    ("175", "Rødovre", "1084"),
    ("183", "Ishøj", "1084"),
    ("185", "Tårnby", "1084"),
    ("187", "Vallensbæk", "1084"),
    ("190", "Furesø", "1084"),
    ("201", "Allerød", "1084"),
    ("210", "Fredensborg", "1084"),
    ("217", "Helsingør", "1084"),
    ("219", "Hillerød", "1084"),
    ("223", "Hørsholm", "1084"),
    ("230", "Rudersdal", "1084"),
    ("240", "Egedal", "1084"),
    ("250", "Frederikssund", "1084"),
    ("253", "Greve", "1085"),
    ("259", "Køge", "1085"),
    ("260", "Halsnæs", "1084"),
    ("265", "Roskilde", "1085"),
    ("269", "Solrød", "1085"),
    ("270", "Gribskov", "1084"),
    ("306", "Odsherred", "1085"),
    ("316", "Holbæk", "1085"),
    ("320", "Faxe", "1085"),
    ("326", "Kalundborg", "1085"),
    ("329", "Ringsted", "1085"),
    ("330", "Slagelse", "1085"),
    ("336", "Stevns", "1085"),
    ("340", "Sorø", "1085"),
    ("350", "Lejre", "1085"),
    ("360", "Lolland", "1085"),
    ("370", "Næstved", "1085"),
    ("376", "Guldborgsund", "1085"),
    ("390", "Vordingborg", "1085"),
    ("400", "Bornholm", "1084"),
    ("410", "Middelfart", "1083"),
    ("420", "Assens", "1083"),
    ("430", "Faaborg-Midtfyn", "1083"),
    ("440", "Kerteminde", "1083"),
    ("450", "Nyborg", "1083"),
    ("461", "Odense", "1083"),
    ("479", "Svendborg", "1083"),
    ("480", "Nordfyns", "1083"),
    ("482", "Langeland", "1083"),
    ("492", "Ærø", "1083"),
    ("510", "Haderslev", "1083"),
    ("530", "Billund", "1083"),
    ("540", "Sønderborg", "1083"),
    ("550", "Tønder", "1083"),
    ("561", "Esbjerg", "1083"),
    ("563", "Fanø", "1083"),
    ("573", "Varde", "1083"),
    ("575", "Vejen", "1083"),
    ("580", "Aabenraa", "1083"),
    ("607", "Fredericia", "1083"),
    ("615", "Horsens", "1082"),
    ("621", "Kolding", "1083"),
    ("630", "Vejle", "1083"),
    ("657", "Herning", "1082"),
    ("661", "Holstebro", "1082"),
    ("665", "Lemvig", "1082"),
    ("671", "Struer", "1082"),
    ("706", "Syddjurs", "1082"),
    ("707", "Norddjurs", "1082"),
    ("710", "Favrskov", "1082"),
    ("727", "Odder", "1082"),
    ("730", "Randers", "1082"),
    ("740", "Silkeborg", "1082"),
    ("741", "Samsø", "1082"),
    ("746", "Skanderborg", "1082"),
    ("751", "Aarhus", "1082"),
    ("756", "Ikast-Brande", "1082"),
    ("760", "Ringkøbing-Skjern", "1082"),
    ("766", "Hedensted", "1082"),
    ("773", "Morsø", "1081"),
    ("779", "Skive", "1082"),
    ("787", "Thisted", "1081"),
    ("791", "Viborg", "1082"),
    ("810", "Brønderslev", "1081"),
    ("813", "Frederikshavn", "1081"),
    ("820", "Vesthimmerland", "1081"),
    ("825", "Læsø", "1081"),
    ("840", "Rebild", "1081"),
    ("846", "Mariagerfjord", "1081"),
    ("849", "Jammerbugt", "1081"),
    ("851", "Aalborg", "1081"),
    ("860", "Hjørring", "1081"),
)

MUNICIPALITIES: dict[str, Municipality] = {
    code: Municipality(code, name, region, REGIONS[region]) for code, name, region in _ROWS
}

_ORGANISATION = re.compile(r"^[A-Za-z][A-Za-z0-9.-]{0,63}$")


def municipality(code: str) -> Municipality | None:
    return MUNICIPALITIES.get(code)


def owner_problem(owner: str) -> str | None:
    """Why ``owner`` cannot own something, or ``None``.

    An owner is a municipality code (three digits, one of the 98) or an organisation identifier such
    as ``KL`` or ``DST`` (a letter, then letters, digits, '.' or '-').
    """
    if owner.isdigit():
        if owner in MUNICIPALITIES:
            return None
        return f"{owner!r} is not a Danish municipality code (three digits, e.g. 751 for Aarhus)"
    if _ORGANISATION.match(owner):
        return None
    return f"{owner!r} is neither a municipality code nor an organisation identifier"
