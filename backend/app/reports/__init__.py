"""Rendered reports: small charts as images, the weekly digest's HTML and Slack blocks, and the
board pack (PDF)."""
