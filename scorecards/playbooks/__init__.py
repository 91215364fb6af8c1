"""Red-flag playbooks: a flag's recommended action taken in one step, and whether the KPI recovered after it.

models (PlaybookAction, ContractReview), services (writes), selectors (reads), api (REST).
"""
