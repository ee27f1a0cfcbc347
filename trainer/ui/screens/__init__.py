"""The trainer's screens, one module each."""
