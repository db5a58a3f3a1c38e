-- migpkg 0.1.0 plan for oracle (down): 1 migration

-- migration test.rawddl/raw-then-change 1.0.0: A change to a table raw SQL created
-- checksum sha256-v1:195997d9c7c127bed4920f284492f2c359a3e7760fa19c814efc9c6f8b723b48
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step drop (down): Drop notes
DROP TABLE notes;
