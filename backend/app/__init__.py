"""Tempo: customer-health service for B2B SaaS teams."""

__version__ = "0.1.0"
