"""Contests of scorecard rows: the factory disputes a late delivery, a defective count or an issue's response time
behind one of its numbers; a manager accepts (the row is excused or its count corrected) or rejects with a reason.

Shaped as an app of its own: models, services, selectors, forms, api. Staff pages are in scorecards/views/contests.py,
the factory's in portal/contest_views.py.
"""
