"""Search over cases: full text, people's names by close spelling and NHS numbers by part."""
