"""Forms of the partnership ledger, one module per record kind."""
