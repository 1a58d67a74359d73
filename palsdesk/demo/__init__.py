"""Demo data: a believable trust with users of every role and cases of every kind, for trying PALS Desk out."""
