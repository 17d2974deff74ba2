"""The web view: the report page and the anonymised overview for cluster-policy offices."""
