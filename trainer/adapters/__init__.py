"""Adapters between the engine and the outside world: pedal, audio, store."""
