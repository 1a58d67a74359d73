"""Cases: the case, its pathway, timeline and links, and the pages and API that work them."""
