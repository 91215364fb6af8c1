"""The partnership ledger's models, one module per record kind."""
