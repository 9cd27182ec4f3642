"""`python -m bench [name ...]`: run the named benchmarks (default: all)."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence

BENCHES = {
    "adherence": "bench.adherence",
    "push": "bench.push",
    "email": "bench.email",
    "migrations": "bench.migrations",
    "retention": "bench.retention",
    "media": "bench.media",
    "handout": "bench.handout",
}


def chosen(argv: Sequence[str] | None = None) -> tuple[list[str], bool]:
    """The benchmarks asked for (all when none is named) and whether to run them small."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    # no `choices`: argparse would check an empty list against them and refuse it
    parser.add_argument("names", nargs="*", metavar="name", help=f"of: {', '.join(BENCHES)}")
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke run")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)} (choose from {', '.join(BENCHES)})")
    return args.names or list(BENCHES), args.quick


def main() -> None:
    names, quick = chosen()
    for name in names:
        importlib.import_module(BENCHES[name]).main(quick=quick)


if __name__ == "__main__":
    main()
