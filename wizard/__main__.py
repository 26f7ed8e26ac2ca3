"""`python -m wizard`: the same command as `asyncfit`."""

import sys

from wizard._cli import main

sys.exit(main())
