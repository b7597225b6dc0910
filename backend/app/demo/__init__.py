"""Deterministic demo data: a simulated customer book and its bulk loader (DESIGN section 17)."""

from app.demo.generator import DemoParams, generate
from app.demo.loader import DemoSummary, load_demo_data

__all__ = ["DemoParams", "DemoSummary", "generate", "load_demo_data"]
