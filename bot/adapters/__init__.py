"""Platform adapters: pure converters, a messenger and a runner per platform."""
