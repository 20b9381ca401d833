"""Domain model of investledger: aggregates, value objects and rules. Pure: no I/O."""
