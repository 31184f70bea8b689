"""Random cross-tabulations with their margins, protected: run in a subprocess to check that
the withheld cells do not change with Python's hash seed."""

import json
import random

from kpis.engine.disclosure import Table, protect


def protected_random_tables(count: int = 300, seed: int = 7) -> list:
    rng = random.Random(seed)
    results = []
    for _ in range(count):
        rows = [f"r{i}" for i in range(rng.randint(2, 4))]
        cols = [f"c{j}" for j in range(rng.randint(2, 6))]
        grid = {
            (r, c): rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 30, 80]) for r in rows for c in cols
        }
        table = Table(threshold=5)
        for key, value in grid.items():
            table.add(key, value)
        for r in rows:
            table.add(("row", r), sum(grid[(r, c)] for c in cols))
            table.add_sum([(r, c) for c in cols], ("row", r))
        for c in cols:
            table.add(("col", c), sum(grid[(r, c)] for r in rows))
            table.add_sum([(r, c) for r in rows], ("col", c))
        table.add("all", sum(grid.values()), public=True)
        table.add_sum([("row", r) for r in rows], "all")
        table.add_sum([("col", c) for c in cols], "all")
        results.append(sorted((str(k), v) for k, v in protect(table).items()))
    return results


if __name__ == "__main__":
    print(json.dumps(protected_random_tables()))
