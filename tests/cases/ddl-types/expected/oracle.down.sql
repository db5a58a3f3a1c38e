-- migpkg 0.1.0 plan for oracle (down): 2 migrations

-- migration test.ddl/ddl-types-serial 1.1.0: A 32-bit generated key
-- checksum sha256-v1:f26ccd044de95a1cf563ee798b19f37da12d9c79f22394b1c51640984951966f
-- step undo-create-tickets (down): Undo: Create tickets
DROP TABLE "tickets";
COMMIT;

-- migration test.ddl/ddl-types-order 1.0.0: Create the order table with every portable type
-- checksum sha256-v1:1eaff847daf9c66faa7cc343920e0e51a39acc2685d1c7d1b6b540abeacf4dcf
-- step undo-create-order (down): Undo: Create order
DROP TABLE "order";
COMMIT;
