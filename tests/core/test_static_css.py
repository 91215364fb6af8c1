"""The project's style sheets parse: a brace lost in a merge silently drops every rule after it (the phone
layout and the contrast fixes went missing that way once)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

SHEETS = sorted((Path(settings.BASE_DIR) / "static" / "css").glob("*.css"))


@pytest.mark.parametrize("sheet", SHEETS, ids=[sheet.name for sheet in SHEETS])
def test_every_block_of_a_style_sheet_is_closed(sheet):
    text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)  # braces in comments do not count
    depth = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{sheet.name}: a '}}' closes nothing near line {line_number}"
        # Only @media (and similar) blocks nest; a rule opening inside a rule means a '}' is missing.
        assert depth <= 2, f"{sheet.name}: a block is left open before line {line_number}"
    assert depth == 0, f"{sheet.name}: {depth} block(s) left open at the end"


def test_a_rule_never_opens_inside_another_rule():
    for sheet in SHEETS:
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
        stack = []
        for match in re.finditer(r"([^{};]*)\{|\}", text):
            if match.group(0) == "}":
                stack.pop()
                continue
            selector = match.group(1).strip()
            if stack and not stack[-1].startswith("@"):
                raise AssertionError(f"{sheet.name}: '{selector}' opens inside '{stack[-1]}'")
            stack.append(selector)
