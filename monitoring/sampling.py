"""The spot-check draw (抽查): pure, no Django. The same population, size and seed always give
the same sample, so a logged draw can be repeated by anyone."""
from __future__ import annotations

import random
from collections.abc import Sequence


def draw(population: Sequence[int], *, size: int, seed: int) -> list[int]:
    """`size` distinct members of `population` (all of them if it is smaller), in draw order.
    The population is sorted first, so the order the database answers in does not matter."""
    ordered = sorted(set(population))
    return random.Random(seed).sample(ordered, min(size, len(ordered)))
