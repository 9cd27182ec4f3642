"""`python -m bench [name ...]`: run the named benchmarks (default: all)."""

from __future__ import annotations

import argparse
import importlib

BENCHES = {
    "adherence": "bench.adherence",
    "push": "bench.push",
    "email": "bench.email",
    "migrations": "bench.migrations",
    "retention": "bench.retention",
    "media": "bench.media",
    "handout": "bench.handout",
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("names", nargs="*", choices=[*BENCHES, []], default=list(BENCHES))
    parser.add_argument("--quick", action="store_true", help="small data, for a smoke run")
    args = parser.parse_args()
    for name in args.names or list(BENCHES):
        importlib.import_module(BENCHES[name]).main(quick=args.quick)


if __name__ == "__main__":
    main()
