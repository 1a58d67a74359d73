"""Working days in England, response targets, and the due dates they give a case."""
