"""Read models (ledgers, supervision views, statistics), their follower and rebuild."""
