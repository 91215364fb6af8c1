"""Admin registration of the partnership ledger (each record kind registers in its own block)."""
