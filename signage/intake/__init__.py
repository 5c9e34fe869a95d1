"""Tenant promo intake: the inbox, sandboxed probing, conforming and the review queue (no Qt)."""
