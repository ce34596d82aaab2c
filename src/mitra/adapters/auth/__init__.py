"""Secrets of server-mode accounts: argon2id password hashes, TOTP codes, random tokens."""
