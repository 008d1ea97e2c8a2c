"""`python -m autograder` is the same as the `autograder` console script."""

from autograder.cli import main

raise SystemExit(main())
