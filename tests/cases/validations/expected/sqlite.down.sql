-- migpkg 0.1.0 plan for sqlite (down): 1 migration

-- migration test.validations/val-items 1.0.0: Pre- and post-validation
-- checksum sha256-v1:e68e076427773cf62cd15d2c56f334b596ea63f009464d6df5254e26fbb180c6
BEGIN;
-- step drop (down): Drop val_items
-- pre check (preValidation, error): SELECT SUM(qty) = 9 FROM val_items
DROP TABLE val_items;
-- post check (postValidation, error): SELECT COUNT(*) = 0 FROM sqlite_master WHERE type = 'table' AND name = 'val_items'
COMMIT;
