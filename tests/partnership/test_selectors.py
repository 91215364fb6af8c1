"""The partnership selectors read in a number of queries that does not grow with the rows, and scope every read."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from partnership.selectors import ideas as idea_selectors
from partnership.selectors import training as training_selectors
from partnership.services import ideas as idea_services
from partnership.services import training as training_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(buyer, portal_a, supplier_a, supplier_b):
    later = timezone.localdate() + timedelta(days=10)
    for n in range(8):
        supplier = supplier_a if n % 2 else supplier_b
        idea = idea_services.idea_propose(
            by=buyer, supplier=supplier, kind="process", title=f"Idea {n}", description="x"
        )
        idea_services.idea_comment(idea=idea, by=buyer, body="Noted")
        training_services.training_record(by=buyer, supplier=supplier, topic=f"T{n}", held_on=later)
        training_services.programme_record(
            by=buyer, supplier=supplier, name=f"P{n}", starts_on=date(2026, 1, 1), contribution="Books"
        )


def test_the_lists_read_in_one_query_each_with_their_relations(rows, buyer, django_assert_num_queries):
    with django_assert_num_queries(1):
        ideas = list(idea_selectors.idea_list(user=buyer))
        assert [i.supplier.name and i.raised_by.email and i.comment_count for i in ideas] == [1] * 8
    with django_assert_num_queries(1):
        assert len([t.given_by.email for t in training_selectors.training_list(user=buyer)]) == 8
    with django_assert_num_queries(1):
        assert len([p.supplier.name for p in training_selectors.programme_list(user=buyer)]) == 8


def test_a_factory_contact_lists_only_its_own_company(rows, portal_a, supplier_a):
    assert {i.supplier_id for i in idea_selectors.idea_list(user=portal_a)} == {supplier_a.pk}
    assert {t.supplier_id for t in training_selectors.training_list(user=portal_a)} == {supplier_a.pk}
    assert {p.supplier_id for p in training_selectors.programme_list(user=portal_a)} == {supplier_a.pk}
    assert len(idea_selectors.idea_list(user=portal_a)) == 4
