-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.engines/ues-items 1.0.0: Universal and per-engine SQL
-- checksum sha256-v1:bb111bd1a72d9e6069388f083b6ec1ea45024466309a9fac4b76d2eccef93724
BEGIN;
-- step drop-items (down): Drop ues_items
DROP INDEX ues_items_name_idx;
DROP TABLE ues_items;
-- step drop-categories (down): Drop ues_categories
DROP TABLE ues_categories;
COMMIT;
