"""Platform-neutral core: events, the dispatcher, ports and texts."""
