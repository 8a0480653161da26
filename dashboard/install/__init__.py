"""What fills a store: the five real seed events, the synthetic demo dataset, and the check
that an empty store gets them once. Above the store and the queries, beside the other services."""
