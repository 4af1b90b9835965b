"""Accounts: sign-up, sign-in, multi-factor authentication and the email they send."""
