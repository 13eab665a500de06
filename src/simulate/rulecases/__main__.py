"""``python -m simulate.rulecases FILE...``: run rule-case files."""

import sys

from simulate.rulecases.cases import main

sys.exit(main())
