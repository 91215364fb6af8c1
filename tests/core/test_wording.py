"""Sentences background jobs store in English are shown in the reader's language, values and all."""

from datetime import date

import pytest
from django.utils import translation

from communications.models import CheckIn
from core.wording import reworded
from scorecards.models import RedFlag


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Moved from 2026-10-06: weekend"),
        ("zh-hans", "由 2026年10月6日 调整：周末"),
        ("vi", "Dời từ ngày 06/10/2026: cuối tuần"),
    ],
)
def test_a_moved_check_in_says_why_in_the_readers_language(language, expected):
    checkin = CheckIn(original_date=date(2026, 10, 6), moved_reason="Moved from 2026-10-06: weekend")
    with translation.override(language):
        assert checkin.moved_note() == expected


def test_a_holiday_name_or_a_closure_reason_is_kept_as_written():
    checkin = CheckIn(moved_reason="Moved from 2030-03-12: Annual maintenance shutdown")
    with translation.override("vi"):
        assert checkin.moved_note() == "Dời từ ngày 12/03/2030: Annual maintenance shutdown"


def test_a_red_flag_reads_in_the_readers_language():
    flag = RedFlag(observed="missed 3 weeks running", target="On-time delivery")
    expiring = RedFlag(observed="expires 2026-12-01", target="")
    with translation.override("zh-hans"):
        assert (flag.observed_text(), flag.target_text()) == ("连续 3 周未达成", "准时交货率")
        assert expiring.observed_text() == "2026年12月1日 到期"
        assert expiring.target_text() == ""
    with translation.override("vi"):
        assert expiring.observed_text() == "hết hạn ngày 01/12/2026"


def test_numbers_and_unknown_text_are_left_alone():
    with translation.override("zh-hans"):
        assert reworded("82.5 % (33/40)") == "82.5 % (33/40)"
        assert reworded("≥ 95.00 %") == "≥ 95.00 %"
        assert reworded("") == ""
