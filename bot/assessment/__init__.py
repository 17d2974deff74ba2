"""Self-evaluation over PARP's cluster management standards, as a conversation."""
