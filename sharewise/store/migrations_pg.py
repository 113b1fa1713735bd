"""Schema 4 of the PostgreSQL ledger: one register for several organisations.

Each organisation has a chain of its own (its own `head` row, its own numbering from 1, its
own genesis), so a role that may read one organisation verifies that organisation's chain
with nothing but what it may see, and no number or hash of another's chain ever reaches it:
with one chain for all, organisation A's sequence numbers would count B's entries between
its own.

Who may do what is the database's business, not the client's:

- `staff` maps a login to its organisation (`home`), and for a partnership's IG lead (or
  auditor) to the other organisations it may read. Each login sees only its own rows.
- four group roles (`ROLES`) carry the privileges; a login is granted the ones it needs;
- row-level security, forced on every table (the owner included), shows a session one
  organisation at a time: its home, or one it may read that it names with
  `SET sharewise.org = 'name'` (what `SHAREWISE_ORG` does). Writes go to the home
  organisation only;
- a BEFORE INSERT trigger (`sharewise_check_entry`) refuses a kind of entry the login's
  role may not record, an entry whose body does not name the login appending it
  (`recorded_by`, checked against `current_user`) and its organisation, a completion or
  amendment of another login's record, and a link to an entry outside the organisation.

The functions that decide are SECURITY INVOKER, so `current_user` in them is the person's
login (or the role a gateway `SET ROLE`s to), never the owner: a SECURITY DEFINER
function sees its owner as `current_user`. Only the trigger that moves `head` runs as the
owner, and it points the row policies at the entry's organisation for its own reads.
"""

from __future__ import annotations

import re

from sharewise.domain import chain
from sharewise.domain.chain import GENESIS

#: The group roles, by the name used on the command line.
ROLES = {
    "practitioner": "sharewise_practitioner",
    "reviewer": "sharewise_reviewer",
    "purger": "sharewise_purger",
    "auditor": "sharewise_auditor",
}
#: What each may append (the owner, acting for the default organisation, may append any).
KINDS = {
    "practitioner": ("decision", "emergency", "completion", "amendment"),
    "reviewer": ("review",),
    "purger": ("purge",),
    "auditor": (),
}
#: The organisation a ledger made without one names (and an upgraded ledger's, by default).
DEFAULT_ORG = "default"
ORG_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


# `{org}` is the organisation an older ledger's entries go to; `{schema}` the ledger's schema
# (see `v4_text`).
SCHEMA_V4 = """
CREATE TABLE orgs (
  name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_-]{{0,39}}$'),
  ledger_id text NOT NULL UNIQUE,
  created text NOT NULL
);
CREATE TABLE staff (
  login text NOT NULL,
  org text NOT NULL REFERENCES orgs (name),
  home boolean NOT NULL,
  PRIMARY KEY (login, org)
);
CREATE UNIQUE INDEX staff_one_home ON staff (login) WHERE home;
INSERT INTO orgs (name, ledger_id, created) VALUES ({org},
  (SELECT m.value FROM meta m WHERE m.key = 'ledger_id'),
  to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
INSERT INTO meta (key, value) VALUES ('default_org', {org});

ALTER TABLE personal DROP CONSTRAINT personal_seq_fkey;
ALTER TABLE entries ADD COLUMN org text NOT NULL DEFAULT {org} REFERENCES orgs (name);
ALTER TABLE entries DROP CONSTRAINT entries_pkey;
ALTER TABLE entries DROP CONSTRAINT entries_id_key;
ALTER TABLE entries ADD CONSTRAINT entries_pkey PRIMARY KEY (org, seq);
ALTER TABLE entries ADD CONSTRAINT entries_id_key UNIQUE (org, id);
DROP INDEX entries_created;
CREATE INDEX entries_created ON entries (org, created);
DROP INDEX entries_target;
CREATE INDEX entries_target ON entries (org, target);
ALTER TABLE personal ADD COLUMN org text NOT NULL DEFAULT {org};
ALTER TABLE personal DROP CONSTRAINT personal_pkey;
ALTER TABLE personal ADD CONSTRAINT personal_pkey PRIMARY KEY (org, seq);
ALTER TABLE personal ADD CONSTRAINT personal_seq_fkey FOREIGN KEY (org, seq)
  REFERENCES entries (org, seq);
DROP INDEX personal_case;
CREATE INDEX personal_case ON personal (org, case_ref);
ALTER TABLE head ADD COLUMN org text NOT NULL DEFAULT {org} REFERENCES orgs (name);
ALTER TABLE head DROP COLUMN one;
ALTER TABLE head ADD CONSTRAINT head_pkey PRIMARY KEY (org);
ALTER TABLE trees ADD COLUMN org text NOT NULL DEFAULT {org};
ALTER TABLE trees DROP CONSTRAINT trees_pkey;
ALTER TABLE trees ADD CONSTRAINT trees_pkey PRIMARY KEY (org, sha256);

CREATE FUNCTION sharewise_is_owner() RETURNS boolean
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c
  WHERE c.oid = 'entries'::regclass
$$;
CREATE FUNCTION sharewise_home_org() RETURNS text
LANGUAGE sql STABLE SET search_path = {schema}, pg_temp AS $$
  SELECT COALESCE(
    (SELECT s.org FROM staff s WHERE s.login = current_user::text AND s.home),
    (SELECT m.value FROM meta m WHERE m.key = 'default_org' AND sharewise_is_owner()))
$$;
CREATE FUNCTION sharewise_current_org() RETURNS text
LANGUAGE plpgsql STABLE SET search_path = {schema}, pg_temp AS $$
DECLARE
  wanted text := NULLIF(current_setting('sharewise.org', true), '');
BEGIN
  IF wanted IS NULL THEN
    RETURN sharewise_home_org();
  END IF;
  -- `orgs` shows a login only the organisations it may read (the owner: all).
  IF EXISTS (SELECT 1 FROM orgs o WHERE o.name = wanted) THEN
    RETURN wanted;
  END IF;
  RETURN NULL;
END $$;
ALTER TABLE entries ALTER COLUMN org SET DEFAULT sharewise_home_org();
ALTER TABLE personal ALTER COLUMN org SET DEFAULT sharewise_home_org();
ALTER TABLE trees ALTER COLUMN org SET DEFAULT sharewise_home_org();
ALTER TABLE head ALTER COLUMN org DROP DEFAULT;

DROP FUNCTION sharewise_lock_head();
CREATE FUNCTION sharewise_lock_head(
  OUT org text, OUT seq bigint, OUT hash text, OUT now text, OUT login text)
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
DECLARE
  home text := sharewise_home_org();
BEGIN
  IF home IS NULL THEN
    RAISE EXCEPTION 'sharewise: this login belongs to no organisation in the ledger, so '
      'nothing was recorded; ask its administrator (`sharewise db member add`)';
  END IF;
  SELECT h.seq, h.hash INTO seq, hash FROM head h WHERE h.org = home FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sharewise: this session cannot write to its organisation''s chain '
      '(it reads another organisation''s register)';
  END IF;
  org := home;
  now := to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  login := current_user;
END $$;

CREATE FUNCTION sharewise_check_entry() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
DECLARE
  home text := sharewise_home_org();
  body jsonb;
  kind text;
  made_by text;
BEGIN
  IF home IS NULL THEN
    RAISE EXCEPTION 'sharewise: this login belongs to no organisation in the ledger, so '
      'nothing was recorded; ask its administrator (`sharewise db member add`)';
  END IF;
  NEW.org := home;
  BEGIN
    body := convert_from(NEW.body, 'UTF8')::jsonb;
  EXCEPTION WHEN OTHERS THEN
    RAISE EXCEPTION 'sharewise: an entry''s body must be JSON';
  END;
  IF jsonb_typeof(body) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'sharewise: an entry''s body must be JSON';
  END IF;
  IF body->>'recorded_by' IS DISTINCT FROM current_user::text THEN
    RAISE EXCEPTION 'sharewise: an entry names the login that appends it, and no other';
  END IF;
  IF body->>'org' IS DISTINCT FROM home THEN
    RAISE EXCEPTION 'sharewise: an entry is recorded in its author''s own organisation';
  END IF;
  kind := body->>'kind';
  IF NEW.kind IS DISTINCT FROM kind OR NEW.target IS DISTINCT FROM body->>'target' THEN
    RAISE EXCEPTION 'sharewise: an entry''s columns must say what its body says';
  END IF;
  IF NEW.target IS NOT NULL THEN
    SELECT convert_from(e.body, 'UTF8')::jsonb->>'recorded_by' INTO made_by
      FROM entries e WHERE e.org = home AND e.id = NEW.target;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'sharewise: the entry it refers to is not in this organisation''s '
        'register';
    END IF;
  END IF;
  IF sharewise_is_owner() THEN
    RETURN NEW;
  END IF;
  IF kind IN ('decision', 'emergency', 'completion', 'amendment') THEN
    IF NOT pg_has_role(current_user, 'sharewise_practitioner', 'USAGE') THEN
      RAISE EXCEPTION 'sharewise: only a practitioner records a %', kind;
    END IF;
    IF kind IN ('completion', 'amendment') AND made_by IS DISTINCT FROM current_user::text
       AND made_by IS NOT NULL THEN
      RAISE EXCEPTION 'sharewise: a practitioner completes or amends only the records '
        'their own login made';
    END IF;
  ELSIF kind = 'review' THEN
    IF NOT pg_has_role(current_user, 'sharewise_reviewer', 'USAGE') THEN
      RAISE EXCEPTION 'sharewise: only a reviewer (IG lead) files a review';
    END IF;
  ELSIF kind = 'purge' THEN
    IF NOT pg_has_role(current_user, 'sharewise_purger', 'USAGE') THEN
      RAISE EXCEPTION 'sharewise: only the purger erases personal details';
    END IF;
  ELSE
    RAISE EXCEPTION 'sharewise: no role records an entry of this kind';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER entries_checked_by_role BEFORE INSERT ON entries
  FOR EACH ROW EXECUTE FUNCTION sharewise_check_entry();

CREATE OR REPLACE FUNCTION sharewise_in_sequence() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  body jsonb;
  moment timestamptz;
  was text := current_setting('sharewise.org', true);
BEGIN
  -- Running as the owner, whose reads the row policies confine to one organisation too:
  -- this entry's, for the statements below.
  PERFORM set_config('sharewise.org', NEW.org, true);
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM head h WHERE h.org = NEW.org FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'sharewise: the organisation''s chain has lost its head row';
  END IF;
  IF head_hash IS DISTINCT FROM COALESCE(
       (SELECT e.hash FROM entries e
        WHERE e.org = NEW.org AND e.seq = head_seq AND head_seq > 0),
       CASE WHEN head_seq = 0 THEN '{genesis}' END) THEN
    RAISE EXCEPTION 'sharewise: the head row does not match the last entry (it was moved by '
      'hand), so nothing was recorded; run `sharewise records verify`';
  END IF;
  IF NEW.seq IS DISTINCT FROM head_seq + 1
     OR NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(e.seq), 0) + 1 FROM entries e
                                  WHERE e.org = NEW.org) THEN
    RAISE EXCEPTION 'sharewise: entries are appended in sequence, never replaced';
  END IF;
  IF NEW.hash IS DISTINCT FROM encode(sha256('\\x{label}'::bytea || NEW.body),
                                      'hex') THEN
    RAISE EXCEPTION 'sharewise: an entry''s hash must be the hash of its body';
  END IF;
  BEGIN
    body := convert_from(NEW.body, 'UTF8')::jsonb;
  EXCEPTION WHEN OTHERS THEN
    RAISE EXCEPTION 'sharewise: an entry''s body must be JSON';
  END;
  IF jsonb_typeof(body) IS DISTINCT FROM 'object'
     OR body->>'prev_hash' IS DISTINCT FROM head_hash
     OR body->>'seq' IS DISTINCT FROM NEW.seq::text
     OR body->>'id' IS DISTINCT FROM NEW.id
     OR body->>'created' IS DISTINCT FROM NEW.created THEN
    RAISE EXCEPTION 'sharewise: a new entry must follow the head of the chain';
  END IF;
  IF NEW.created !~ ('^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T'
                     '[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}[.][0-9]{{6}}Z$') THEN
    RAISE EXCEPTION 'sharewise: the recorded time must be the database server''s own';
  END IF;
  moment := NEW.created::timestamptz;
  IF moment > clock_timestamp() + interval '1 second'
     OR moment < clock_timestamp() - interval '{slack} seconds' THEN
    RAISE EXCEPTION 'sharewise: the recorded time must be the database server''s own';
  END IF;
  UPDATE head SET seq = NEW.seq, hash = NEW.hash WHERE head.org = NEW.org;
  PERFORM set_config('sharewise.org', COALESCE(was, ''), true);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION sharewise_head_moves_by_append() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
  -- Only from the ledger's own triggers, running as the owner: a role that made a trigger
  -- of its own (on a temporary table) to update `head` is not the owner.
  IF TG_OP IN ('UPDATE', 'INSERT') AND pg_trigger_depth() > 1 AND sharewise_is_owner() THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'sharewise: the head of the chain moves only when an entry is appended';
END $$;
CREATE FUNCTION sharewise_new_chain() RETURNS trigger
LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $$
BEGIN
  INSERT INTO head (org, seq, hash) VALUES (NEW.name, 0, '{genesis}');
  RETURN NEW;
END $$;
CREATE TRIGGER orgs_new_chain AFTER INSERT ON orgs
  FOR EACH ROW EXECUTE FUNCTION sharewise_new_chain();
CREATE TRIGGER orgs_fixed BEFORE UPDATE OR DELETE ON orgs
  FOR EACH ROW EXECUTE FUNCTION sharewise_refuse('an organisation''s chain is never removed');
CREATE TRIGGER orgs_no_truncate BEFORE TRUNCATE ON orgs
  FOR EACH STATEMENT EXECUTE FUNCTION
  sharewise_refuse('an organisation''s chain is never removed');

ALTER TABLE entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE entries FORCE ROW LEVEL SECURITY;
CREATE POLICY entries_read ON entries FOR SELECT USING (org = {current});
CREATE POLICY entries_append ON entries FOR INSERT WITH CHECK (org = {home});
ALTER TABLE personal ENABLE ROW LEVEL SECURITY;
ALTER TABLE personal FORCE ROW LEVEL SECURITY;
CREATE POLICY personal_read ON personal FOR SELECT USING (org = {current});
CREATE POLICY personal_append ON personal FOR INSERT WITH CHECK (org = {home});
CREATE POLICY personal_erase ON personal FOR UPDATE USING (org = {home})
  WITH CHECK (org = {home});
ALTER TABLE trees ENABLE ROW LEVEL SECURITY;
ALTER TABLE trees FORCE ROW LEVEL SECURITY;
CREATE POLICY trees_read ON trees FOR SELECT USING (org = {current});
CREATE POLICY trees_append ON trees FOR INSERT WITH CHECK (org = {home});
ALTER TABLE head ENABLE ROW LEVEL SECURITY;
ALTER TABLE head FORCE ROW LEVEL SECURITY;
CREATE POLICY head_read ON head FOR SELECT USING (org = {current});
CREATE POLICY head_lock ON head FOR UPDATE USING (org = {home} OR {owner});
CREATE POLICY head_new ON head FOR INSERT WITH CHECK ({owner});
ALTER TABLE meta ENABLE ROW LEVEL SECURITY;
ALTER TABLE meta FORCE ROW LEVEL SECURITY;
CREATE POLICY meta_read ON meta FOR SELECT USING (key <> 'default_org' OR {owner});
CREATE POLICY meta_write ON meta FOR INSERT WITH CHECK ({owner});
ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE orgs FORCE ROW LEVEL SECURITY;
CREATE POLICY orgs_read ON orgs FOR SELECT USING ({owner}
  OR name IN (SELECT s.org FROM staff s WHERE s.login = current_user::text));
CREATE POLICY orgs_add ON orgs FOR INSERT WITH CHECK ({owner});
ALTER TABLE staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE staff FORCE ROW LEVEL SECURITY;
CREATE POLICY staff_own ON staff FOR SELECT USING (login = current_user::text OR {owner});
CREATE POLICY staff_admin ON staff FOR ALL USING ({owner}) WITH CHECK ({owner});
"""


def roles_sql() -> str:
    """The group roles, made once per server (they outlive any one database)."""
    made = "\n".join(
        f"  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{r}') THEN"
        f" CREATE ROLE {r} NOLOGIN; END IF;"
        for r in ROLES.values()
    )
    return f"DO $roles$\nBEGIN\n{made}\nEND $roles$;\n"


def grants_sql(role: str | None = None, *, schema: str = "public") -> str:
    """The privileges of each group role (`ROLES`), or of one, for a DBA to review.

    Every role reads its organisation's register (row-level security decides which
    organisation); the three that append get INSERT on the tables an append writes, and
    UPDATE on `head`'s `hash` only so that an append can lock its organisation's head row
    (`SELECT ... FOR UPDATE` asks for it): the head's own trigger refuses every update that
    is not the insert trigger's. Only the purger may UPDATE personal details, and only the
    columns a purge erases. No role may UPDATE, DELETE or TRUNCATE anything else: each
    role's block starts by revoking everything on the ledger's tables.
    """
    if role is not None and role not in ROLES:
        raise ValueError(f"the roles are {', '.join(ROLES)}")
    out: list[str] = []
    tables = "entries, personal, trees, head, meta, orgs, staff"
    for name in [role] if role is not None else list(ROLES):
        r = ROLES[name]
        out.append(f"-- {name}: {_WHAT[name]}")
        # First take everything away (a column's privileges go with its table's), so that
        # what follows is all the role holds on the ledger, however often it is run.
        out.append(f"REVOKE ALL ON {tables} FROM {r};")
        out.append(f"GRANT USAGE ON SCHEMA {schema} TO {r};")
        out.append(f"GRANT SELECT ON {tables} TO {r};")
        if KINDS[name]:
            out.append(f"GRANT INSERT ON entries, personal, trees TO {r};")
            out.append(f"GRANT UPDATE (hash) ON head TO {r};")
        if name == "purger":
            out.append(f"GRANT UPDATE (salt, data, case_ref, erased_by) ON personal TO {r};")
        if name in ("practitioner", "reviewer"):  # trainees and trainers
            out.append(f"GRANT USAGE ON SCHEMA sharewise_training TO {r};")
            out.append(
                f"GRANT SELECT, INSERT ON sharewise_training.attempts,"
                f" sharewise_training.scenario_sets TO {r};"
            )
        if name == "auditor":
            out.append(f"GRANT USAGE ON SCHEMA sharewise_training TO {r};")
            out.append(
                f"GRANT SELECT ON sharewise_training.attempts, sharewise_training.scenario_sets"
                f" TO {r};"
            )
    return "\n".join(out) + "\n"


_WHAT = {
    "practitioner": "records decisions, emergencies, and completes and amends their own",
    "reviewer": "files reviews (the IG lead)",
    "purger": "erases personal details at the end of retention",
    "auditor": "reads and verifies, never writes",
}


def v4_text(schema: str, org: str, *, slack: int) -> str:
    """Schema 4's script: `schema` an SQL identifier, `org` an SQL literal, both quoted."""
    return SCHEMA_V4.format(
        schema=schema,
        org=org,
        slack=slack,
        genesis=GENESIS,
        label=chain.ENTRY_LABEL.hex(),
        current="(SELECT sharewise_current_org())",
        home="(SELECT sharewise_home_org())",
        owner="(SELECT sharewise_is_owner())",
    )
