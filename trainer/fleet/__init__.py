"""The fleet: many kiosks, one PostgreSQL server of record, one coach.

Everything here is optional. A box with no server never imports this package;
its SQLite history only queues what a later sync would push (see
:mod:`trainer.adapters.store.schema`).

* :mod:`trainer.fleet.schema` creates and migrates the server's tables and
  row-level security (``trainer server init``);
* :mod:`trainer.fleet.roles` makes one database role per kiosk and per coach
  (``trainer server add-kiosk``);
* :mod:`trainer.fleet.sync` pushes the local outbox and pulls assignments and
  routine packs, on its own thread or as ``trainer sync``;
* :mod:`trainer.fleet.packs` publishes a checked routine folder as a versioned
  pack and installs packs on a kiosk atomically;
* :mod:`trainer.fleet.dashboard` answers the coach's questions (members, trends,
  flags, assignments, CSV);
* :mod:`trainer.fleet.serve` puts a password login in front of textual-serve.

This package is an adapter: it never imports Textual, and it talks to the local
store only through the small protocols it declares, which the core wires up.
"""
