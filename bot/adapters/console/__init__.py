"""The console chat: a conversation with the assistant in a terminal or a pipe."""
