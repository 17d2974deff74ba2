"""Chat assistant for Polish cluster coordinators."""
