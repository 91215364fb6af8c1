"""English: dates as 2026-10-06 (the ISO order buyers and factories both read), not Django's 10/06/2026."""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
