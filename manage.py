#!/usr/bin/env python
"""Same as the `getpower` console script, for those who expect manage.py."""
from getpower.cli import main

if __name__ == "__main__":
    main()
