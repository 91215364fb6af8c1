"""The one check of a typed currency code, used by improvement ideas and product invitations alike."""

import pytest
from django.core.exceptions import ValidationError

from core.money import check_currency


@pytest.mark.parametrize(("typed", "code"), [("usd", "USD"), (" eur ", "EUR"), ("CNY", "CNY")])
def test_a_three_letter_code_is_kept_in_upper_case(typed, code):
    assert check_currency(typed) == code


@pytest.mark.parametrize("typed", ["", None, "US", "USDT", "US$", "ÄÖÜ", "1SD", "U D"])
def test_anything_else_is_refused_on_the_field_named(typed):
    with pytest.raises(ValidationError) as refused:
        check_currency(typed, field="target_currency")
    assert "three-letter code" in refused.value.message_dict["target_currency"][0]
