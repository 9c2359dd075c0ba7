"""Talad (ตลาด): order management for Thai online sellers."""
