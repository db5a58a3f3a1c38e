-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.validations/val-items 1.0.0: Pre- and post-validation
-- checksum sha256-v1:e68e076427773cf62cd15d2c56f334b596ea63f009464d6df5254e26fbb180c6
BEGIN;
-- step create (up): Create val_items
-- pre check (preValidation, error): SELECT COUNT(*) = 0 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'val_items'
CREATE TABLE val_items (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL);
-- post check (postValidation, error): SELECT COUNT(*) = 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'val_items'
-- step seed (up): Seed val_items
-- pre check (preValidation, error): SELECT COUNT(*) = 0 FROM val_items
INSERT INTO val_items (id, qty) VALUES (1, 5), (2, 3), (3, 1);
-- post check (postValidation, error): SELECT COUNT(*) FROM val_items WHERE qty > 0
COMMIT;
