"""The catalogue's statistics of a shared ledger, kept from the organisations' logins.

Row-level security hides rows, not PostgreSQL's own statistics about a table: by default
every login may read the planner's row count of `entries` (`pg_class.reltuples`), the
activity counters (`pg_stat_user_tables`: rows inserted, live rows, scans), the I/O counters,
the database's and each table's size, and the lock list. On a ledger shared by several
organisations those are the totals of them all: a practitioner of one could watch another's
records being added.

`statistics_sql` is the SQL a superuser runs once, in the ledger's database, to take those
away from PUBLIC (and so from every organisation's login) and give them to the ledger's
owner and to `pg_read_all_stats` (monitoring) only. What a login can still count is what its
row policies show it: its organisation's register (`SELECT COUNT(*) FROM entries`, `records
verify`, `audit report`, the dashboard). The column statistics (`pg_stats`) are already
hidden by row-level security. Only a superuser may change the catalogue's privileges, so
`db init` (run as the ledger's owner) cannot; `sharewise db grants statistics` prints this.

Nothing here imports psycopg.
"""

from __future__ import annotations

from typing import Any

#: The statistics views built on the per-table, per-index and per-database counters.
VIEWS = (
    "pg_stat_all_tables",
    "pg_stat_user_tables",
    "pg_stat_sys_tables",
    "pg_stat_xact_all_tables",
    "pg_stat_xact_user_tables",
    "pg_stat_xact_sys_tables",
    "pg_statio_all_tables",
    "pg_statio_user_tables",
    "pg_statio_sys_tables",
    "pg_stat_all_indexes",
    "pg_stat_user_indexes",
    "pg_stat_sys_indexes",
    "pg_statio_all_indexes",
    "pg_statio_user_indexes",
    "pg_statio_sys_indexes",
    "pg_statio_all_sequences",
    "pg_statio_user_sequences",
    "pg_statio_sys_sequences",
    "pg_stat_user_functions",
    "pg_stat_xact_user_functions",
    "pg_stat_database",
    "pg_stat_database_conflicts",
    "pg_locks",
)
#: Functions that tell a table's (or the database's) size, or list the locks held.
SIZE_FUNCTIONS = (
    "pg_relation_size",
    "pg_table_size",
    "pg_indexes_size",
    "pg_total_relation_size",
    "pg_database_size",
    "pg_lock_status",
)
#: pg_class's columns that are the planner's statistics (the rest stay readable: every
#: client, sharewise's own `records verify` included, reads names, owners and flags).
CLASS_STATISTICS = ("reltuples", "relpages", "relallvisible")


def statistics_sql(schema: str = "public") -> str:
    """The SQL (for a superuser, in the ledger's database) that keeps the catalogue's
    statistics to the ledger's owner and `pg_read_all_stats`; safe to run again."""
    views = ",\n".join(f"    '{v}'" for v in VIEWS)
    functions = ", ".join(f"'{f}'" for f in SIZE_FUNCTIONS)
    hidden = ", ".join(f"'{c}'" for c in CLASS_STATISTICS)
    return f"""\
-- statistics: the catalogue's statistics of the ledger's tables (row counts, activity,
-- sizes, locks) for the ledger's owner and pg_read_all_stats only, not every login
-- (run once as a superuser, in the ledger's database; safe to run again)
DO $statistics$
DECLARE
  owner text := (SELECT c.relowner::regrole::text FROM pg_catalog.pg_class c
                 WHERE c.oid = '{schema}.entries'::regclass);
  name text;
  fn regprocedure;
  readable text;
BEGIN
  -- the statistics views
  FOREACH name IN ARRAY ARRAY[
{views}
  ] LOOP
    EXECUTE format('REVOKE SELECT ON pg_catalog.%I FROM PUBLIC', name);
    EXECUTE format('GRANT SELECT ON pg_catalog.%I TO %s, pg_read_all_stats', name, owner);
  END LOOP;
  -- the counters behind them (one table's, index's or database's), the sizes, the locks
  FOR fn IN
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
      AND ((p.proname LIKE 'pg\\_stat\\_get\\_%' AND p.pronargs = 1
            AND p.proargtypes[0] = 'oid'::regtype)
           OR p.proname IN ({functions}))
  LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', fn);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %s, pg_read_all_stats', fn, owner);
  END LOOP;
  -- pg_class: every column but the planner's statistics
  SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO readable
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = 'pg_catalog.pg_class'::regclass AND a.attnum > 0
    AND NOT a.attisdropped AND a.attname NOT IN ({hidden});
  REVOKE SELECT ON pg_catalog.pg_class FROM PUBLIC;
  EXECUTE format('GRANT SELECT (%s) ON pg_catalog.pg_class TO PUBLIC', readable);
  EXECUTE format('GRANT SELECT ON pg_catalog.pg_class TO %s, pg_read_all_stats', owner);
END
$statistics$;
"""


def statistics_exposed(conn: Any) -> bool:
    """Whether every login (PUBLIC) may still read the catalogue's statistics here (a
    psycopg connection to the ledger's database): `statistics_sql` has not been run."""
    found = conn.execute(
        "SELECT has_table_privilege('public', 'pg_catalog.pg_stat_user_tables', 'SELECT')"
        " OR has_column_privilege('public', 'pg_catalog.pg_class', 'reltuples', 'SELECT')"
        " OR has_function_privilege('public', 'pg_catalog.pg_table_size(regclass)', 'EXECUTE')"
    ).fetchone()
    return bool(found and found[0])
