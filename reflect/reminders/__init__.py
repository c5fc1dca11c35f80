"""Email reminders to write (issue 13.1): off until the person chooses days and a time, sent
by the worker at that local time unless they have written that day, with today's prompt and
signed links to pause for a week or stop, which need no login."""
