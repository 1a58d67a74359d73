"""The communications log of a case: letters, emails, calls and notes in and out, attachments and letters."""
