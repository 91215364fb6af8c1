"""Forgeline's benchmark: a seeded data generator and a runner that times the KPI paths against raw SQL."""
