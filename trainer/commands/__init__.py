"""One module per ``trainer`` subcommand, each with ``run(args) -> int``."""
