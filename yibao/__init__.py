"""Open Yibao Budgets: medical-insurance bureau budget disclosures → open data and a static site."""
