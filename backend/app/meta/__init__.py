"""Facts about this installation the SPA needs (currency, version, today's date)."""
