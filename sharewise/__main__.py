"""`python -m sharewise`: the same as the `sharewise` command."""

from sharewise.cli import main

raise SystemExit(main())
