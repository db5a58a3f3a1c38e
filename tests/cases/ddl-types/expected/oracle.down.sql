-- migpkg 0.1.0 plan for oracle (down): 2 migrations

-- migration test.ddl/ddl-types-serial 1.1.0: A 32-bit generated key
-- checksum sha256-v1:23c79dd1bd1d15135e2c1341f3f6717ad6eaadfbe9caf0730949ecce11256dba
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-create-tickets (down): Undo: Create tickets
DROP TABLE "tickets";

-- migration test.ddl/ddl-types-order 1.0.0: Create the order table with every portable type
-- checksum sha256-v1:beea7dc821a0957c39c8d39e19b73a6edb0b44f5a3e810db8391a3c88d564742
-- implicit commit: oracle commits this DDL at once, outside a transaction (no rollback)
-- step undo-create-order (down): Undo: Create order
DROP TABLE "order";
