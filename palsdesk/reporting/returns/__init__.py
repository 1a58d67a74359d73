"""National returns worked out from the cases: the KO41a written complaints collection."""
