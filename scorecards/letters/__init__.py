"""Reference letters: the buyer vouches for a well-performing supplier with a PDF of its verified KPIs over a
period, frozen at issue, and a signed, expiring link anyone can open to check that the letter is genuine.

Shaped as an app of its own: models, services, selectors, tokens, forms, pdf, api. Staff pages are in
scorecards/views/letters.py (with the public verification page), the factory's in portal/letter_views.py.
"""
