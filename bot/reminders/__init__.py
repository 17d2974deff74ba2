"""Meeting and deadline reminders: events, subscriptions, due times, the delivery loop."""
