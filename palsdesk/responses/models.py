"""The final response to a complaint: drafts and versions, review, the regulation 14 check, sign-off, sending."""
