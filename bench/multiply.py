"""Make bench/kpis.py's organisation K times larger on PostgreSQL, in SQL (minutes, not hours).

    .venv/bin/python bench/multiply.py --database-url postgres://postgres@127.0.0.1:54330/gd_bench10

Run it on a copy of a database bench/kpis.py filled, e.g. after
`createdb -T gd_bench gd_bench10`. Every interaction of the organisation "bench" gets K - 1
copies with their own external ids (same days, agents, teams, customers and values), so
`bench/kpis.py --database-url … --rows 10000000 --pages-only` then finds 10,000,000 rows
from a 1,000,000-row build (building them through the ORM takes about 40 minutes here).
The database's triggers mark every day changed; kpis.py builds the day summaries first.
"""

import argparse
import sys
import time

import psycopg


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--times", type=int, default=10, help="K (default: 10)")
    args = parser.parse_args()
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        row = conn.execute("SELECT id FROM accounts_organisation WHERE slug = 'bench'").fetchone()
        if row is None:
            print("No organisation 'bench'; run bench/kpis.py first.", file=sys.stderr)
            return 1
        org = row[0]
        columns = [
            name
            for (name,) in conn.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'interactions_interaction' AND column_name <> 'id'"
                " ORDER BY ordinal_position"
            )
        ]
        # Copies are told apart by a suffix; only the originals (no '~') are copied.
        select = ", ".join(
            "external_id || '~' || copy.k" if name == "external_id" else name for name in columns
        )
        for k in range(1, args.times):
            started = time.perf_counter()
            conn.execute(
                f"INSERT INTO interactions_interaction ({', '.join(columns)})"  # noqa: S608
                f" SELECT {select} FROM interactions_interaction, (SELECT %s AS k) AS copy"
                " WHERE organisation_id = %s AND external_id NOT LIKE '%%~%%'",
                (str(k), org),
            )
            print(f"copy {k}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        conn.execute("ANALYZE interactions_interaction")
        (total,) = conn.execute(
            "SELECT count(*) FROM interactions_interaction WHERE organisation_id = %s", (org,)
        ).fetchone()
        print(f"{total:,} interactions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
