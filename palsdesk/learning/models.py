"""Action plans for a case, theme or division, their evidence, and the "you said, we did" list."""
