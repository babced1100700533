"""Application shell (CLI): the ``warta`` commands, one module per command group."""
