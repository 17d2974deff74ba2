"""Slack through slack-bolt's AsyncApp (Socket Mode or HTTP with signed requests)."""
