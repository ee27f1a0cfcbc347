"""Widgets shared by the trainer's screens."""
