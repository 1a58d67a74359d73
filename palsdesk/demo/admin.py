"""Demo data has no models of its own."""
