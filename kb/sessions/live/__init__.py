"""Live interactive sessions: schedule, registrations, waiting list, attendance, reminders."""
