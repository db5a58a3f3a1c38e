-- migpkg 0.1.0 plan for sqlite (down): 3 migrations

-- migration test.crossdeps/invoices 1.0.0: Create xm_invoices
-- checksum sha256-v1:cddf7bef402281d71deee06666ca39976359acc0a3496bedb4f57d5e6722b2bf
BEGIN;
-- step drop-invoices (down): Drop xm_invoices
DROP TABLE xm_invoices;
COMMIT;

-- migration test.crossdeps/orders 1.0.0: Create xm_orders
-- checksum sha256-v1:3b10a2f33f8ed7212480ee8bfaae6626a6d57251bedb83371300ff86342918be
BEGIN;
-- step drop-orders (down): Drop xm_orders
DROP TABLE xm_orders;
COMMIT;

-- migration test.crossdeps/customers 1.0.0: Create xm_customers
-- checksum sha256-v1:cf6dcb217828275a710627140f78e69c7ff9f9f7b99ab00ed8ae86f364522e03
BEGIN;
-- step drop-customers (down): Drop xm_customers
DROP TABLE xm_customers;
COMMIT;
