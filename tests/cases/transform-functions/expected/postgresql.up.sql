-- migpkg 0.1.0 plan for postgresql (up): 1 migration

-- migration test.transformfunctions/tf-functions 1.0.0: Every built-in transform function
-- checksum sha256-v1:4e04830812f9a84a5fa356196fd2b7da3ddb00b6bfb5c972146921e723f9e1ed
BEGIN;
-- step create-source (up): Create and seed tf_source
CREATE TABLE tf_source (
  id INTEGER PRIMARY KEY,
  name VARCHAR(50) NOT NULL,
  email VARCHAR(100) NOT NULL,
  padded VARCHAR(20) NOT NULL,
  delta INTEGER NOT NULL,
  price NUMERIC(10, 5) NOT NULL,
  code VARCHAR(20) NOT NULL,
  phone VARCHAR(20) NOT NULL,
  nickname VARCHAR(20),
  status VARCHAR(20) NOT NULL,
  qty INTEGER NOT NULL,
  qty_src VARCHAR(10) NOT NULL,
  amount_src VARCHAR(10) NOT NULL,
  flag_src VARCHAR(10) NOT NULL
);
INSERT INTO tf_source (id, name, email, padded, delta, price, code, phone, nickname, status, qty, qty_src, amount_src, flag_src) VALUES
  (1, 'Widget', 'Sales@Example.COM', '  spaced  ', -5, 3.14159, 'ABC-12345', '555-123-4567', 'wiggy', 'active', 7, '42', '12.5', 'true'),
  (2, 'Gizmo', 'Info@Example.Org', 'x  ', 8, 2.71828, 'XYZ-9', '555-0000', NULL, 'unknown', 0, '-3', '0.25', 'false');
-- step create-target (up): Create tf_target
CREATE TABLE tf_target (
  id INTEGER PRIMARY KEY,
  name_upper VARCHAR(50),
  email_lower VARCHAR(100),
  trimmed VARCHAR(20),
  left_trimmed VARCHAR(20),
  right_trimmed VARCHAR(20),
  name_length INTEGER,
  delta_abs INTEGER,
  price_rounded NUMERIC,
  code_prefix VARCHAR(20),
  code_suffix VARCHAR(20),
  phone_digits VARCHAR(20),
  code_versioned VARCHAR(40),
  nickname_or_default VARCHAR(20),
  status_clean VARCHAR(20),
  qty_text TEXT,
  qty_parsed INTEGER,
  amount NUMERIC,
  is_flagged BOOLEAN
);
-- step copy (up, transform): Copy tf_source into tf_target through every function
INSERT INTO "tf_target" ("id", "name_upper", "email_lower", "trimmed", "left_trimmed", "right_trimmed", "name_length", "delta_abs", "price_rounded", "code_prefix", "code_suffix", "phone_digits", "code_versioned", "nickname_or_default", "status_clean", "qty_text", "qty_parsed", "amount", "is_flagged")
SELECT "id" AS "id", UPPER("name") AS "name_upper", LOWER("email") AS "email_lower", TRIM("padded") AS "trimmed", LTRIM("padded") AS "left_trimmed", RTRIM("padded") AS "right_trimmed", CHAR_LENGTH("name") AS "name_length", ABS("delta") AS "delta_abs", ROUND(CAST("price" AS NUMERIC), 2) AS "price_rounded", SUBSTRING(CAST("code" AS TEXT) FROM 1 FOR 3) AS "code_prefix", SUBSTRING(CAST("code" AS TEXT) FROM 5) AS "code_suffix", REPLACE("phone", '-', '') AS "phone_digits", (CAST("code" AS TEXT) || '-' || 'v2') AS "code_versioned", COALESCE("nickname", '(none)') AS "nickname_or_default", NULLIF("status", 'unknown') AS "status_clean", CAST("qty" AS TEXT) AS "qty_text", CAST("qty_src" AS BIGINT) AS "qty_parsed", CAST("amount_src" AS NUMERIC) AS "amount", CAST("flag_src" AS BOOLEAN) AS "is_flagged"
FROM "tf_source";
-- post check (postValidation, error): SELECT COUNT(*) = 2 FROM tf_target
COMMIT;
