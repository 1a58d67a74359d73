"""The API has no models of its own."""
