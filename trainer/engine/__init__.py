"""The session engine: a pure, clock-driven state machine.

Nothing in this package imports Textual, gpiozero or audio libraries: it is fed
events (pedal gestures, commands, clock ticks) and answers with effects that the
adapters carry out.
"""
