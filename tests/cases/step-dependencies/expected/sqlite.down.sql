-- migpkg 0.1.0 plan for sqlite (down): 1 migration

-- migration test.stepdeps/sd-ordered 1.0.0: Steps listed out of order
-- checksum sha256-v1:fdef8a02bb7028f902e5d4daf1afbf35ab7b863411cceb9722c8a6d23f114562
BEGIN;
-- step drop-index (down): Drop sd_items_name_idx
DROP INDEX sd_items_name_idx;
-- step drop-table (down): Drop sd_items
DROP TABLE sd_items;
-- step drop-audit (down): Drop sd_audit
DROP TABLE sd_audit;
COMMIT;
