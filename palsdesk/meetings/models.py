"""Resolution meetings on a case: attendees, invitations with calendar files, notes, actions, follow-up."""
