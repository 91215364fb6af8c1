"""Vietnamese: short dates as 06/10/2026, as Vietnamese forms and documents write them."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
