"""Start, main menu, help, language choice and what to say when nothing else applies."""
