"""A country's main timezone, the default for a new supplier of that country (its office may say otherwise)."""

from functools import lru_cache
from pathlib import Path

# The countries suppliers are sourced from most, each with the timezone of its main industrial region; a country
# with several (the United States, Brazil, Indonesia) gets the one most factories keep. Others come from the
# system's zone.tab (the first zone listed for the country), where it has one.
MAIN_TIMEZONE = {
    "BD": "Asia/Dhaka",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin",
    "EG": "Africa/Cairo",
    "ES": "Europe/Madrid",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "HK": "Asia/Hong_Kong",
    "ID": "Asia/Jakarta",
    "IN": "Asia/Kolkata",
    "IT": "Europe/Rome",
    "JP": "Asia/Tokyo",
    "KH": "Asia/Phnom_Penh",
    "KR": "Asia/Seoul",
    "LK": "Asia/Colombo",
    "MA": "Africa/Casablanca",
    "MM": "Asia/Yangon",
    "MX": "America/Mexico_City",
    "MY": "Asia/Kuala_Lumpur",
    "NL": "Europe/Amsterdam",
    "PH": "Asia/Manila",
    "PK": "Asia/Karachi",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "TH": "Asia/Bangkok",
    "TR": "Europe/Istanbul",
    "TW": "Asia/Taipei",
    "US": "America/New_York",
    "VN": "Asia/Ho_Chi_Minh",
}
ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")


@lru_cache(maxsize=1)
def _zone_tab() -> dict[str, str]:
    zones: dict[str, str] = {}
    try:
        lines = ZONE_TAB.read_text().splitlines()
    except OSError:
        return zones
    for line in lines:
        if line and not line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3:
                zones.setdefault(parts[0], parts[2])
    return zones


def country_timezone(country: str) -> str:
    """Return a country's main timezone (ISO 3166 code in), or "UTC" when it is not known."""
    code = str(country or "").upper()
    return MAIN_TIMEZONE.get(code) or _zone_tab().get(code) or "UTC"
