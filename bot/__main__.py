"""``python -m bot`` is the ``puente`` command."""

from bot.cli.main import main

main()
