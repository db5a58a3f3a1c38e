-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.trigger/tr-audit 1.0.0: Audit trigger
-- checksum sha256-v1:a16a9cdc1307c0bb25d2dce57976005a7f621f6d9a100e08344af3ea5bbd86bf
BEGIN;
-- step create-tables (up): Create tr_items and tr_audit
CREATE TABLE tr_items (id INTEGER PRIMARY KEY, qty INTEGER NOT NULL);
CREATE TABLE tr_audit (item_id INTEGER NOT NULL, action VARCHAR(20) NOT NULL);
-- step create-trigger (up): Create the audit trigger
CREATE FUNCTION tr_items_audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a comment; inside the body
  INSERT INTO tr_audit (item_id, action)
    VALUES (NEW.id, CASE WHEN NEW.qty > 0 THEN 'stocked;' ELSE 'empty' END);
  RETURN NEW;
END;
$$;
CREATE TRIGGER tr_items_audit AFTER INSERT ON tr_items
  FOR EACH ROW EXECUTE FUNCTION tr_items_audit_fn();
-- step exercise (up): Insert rows through the trigger
INSERT INTO tr_items (id, qty) VALUES (1, 5);
INSERT INTO tr_items (id, qty) VALUES (2, 0);
-- post check (postValidation, error): SELECT COUNT(*) = 2 FROM tr_audit WHERE action IN ('stocked;', 'empty')
COMMIT;
