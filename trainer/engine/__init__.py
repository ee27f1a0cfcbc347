"""The session engine: a pure, clock-driven state machine.

Nothing in this package imports Textual, gpiozero or audio libraries: it is fed
events (pedal gestures, commands, clock ticks) and answers with effects that the
adapters carry out.

Where things are:

* :mod:`~trainer.engine.plan` - :func:`build_plan` expands a routine into moments;
* :mod:`~trainer.engine.session` - :class:`Session`, the state machine;
* :mod:`~trainer.engine.events` / :mod:`~trainer.engine.effects` - what goes in
  and what comes out;
* :mod:`~trainer.engine.snapshot` - what the screen draws, and the pedal legend;
* :mod:`~trainer.engine.soundplan` - every sound of every moment, laid out ahead;
* :mod:`~trainer.engine.settings` - the ``[engine]`` config section;
* :mod:`~trainer.engine.answering` - answering checks with the pedal;
* :mod:`~trainer.engine.vocabulary` - gestures, commands and tones.
"""
