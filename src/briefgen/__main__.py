"""``python -m briefgen``: the same CLI as the ``briefgen`` command."""

from .cli import main

main()
