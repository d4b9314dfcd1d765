"""Run every benchmark and print its figures: ``python -m bench [--postgres [URL]]``.

Presence fan-out, chat fan-out (beside Matrix Synapse), vCard import, search and everyday
reads, one after the other (about 25 minutes in all; each can also run alone:
``python -m bench.fanout --help``, ``python -m bench.search --help``,
``python -m bench.vcard_import``, ``python -m bench.reads --help``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bench import fanout, presence_fanout, reads, search, vcard_import


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=presence_fanout.DEFAULT_PG_SERVER,
        default=None,
        metavar="URL",
        help="also run on PostgreSQL: a server URL (default %(const)s); the benchmark "
        "creates a database of its own there and drops it afterwards",
    )
    parser.add_argument(
        "--sizes",
        default="10,100,500",
        help="numbers of users, each with a live event socket (default %(default)s)",
    )
    parser.add_argument(
        "--changes", type=int, default=40, help="presence changes per size (default %(default)s)"
    )
    parser.add_argument(
        "--rate", type=float, default=10.0, help="presence changes per second (default %(default)s)"
    )
    fanout.add_arguments(parser, prefix="fanout-")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    backends = ["sqlite"] + (["postgres"] if args.postgres else [])
    status = asyncio.run(
        presence_fanout.main(
            backends=backends,
            pg_server=args.postgres or presence_fanout.DEFAULT_PG_SERVER,
            sizes=sizes,
            changes=args.changes,
            rate=args.rate,
        )
    )
    print()
    status |= fanout.run_from(args, prefix="fanout-")
    postgres = ["--postgres", args.postgres] if args.postgres else []
    for module in (vcard_import, search):
        print()
        status |= asyncio.run(module.main(postgres))
    print()
    status |= asyncio.run(reads.main(users=50, conversations=19, messages=5, repeat=200))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
