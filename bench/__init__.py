"""Benchmarks: scripts that time PALS Desk and print or write Markdown for docs/performance.md (never tests)."""
