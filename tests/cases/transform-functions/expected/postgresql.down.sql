-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.transformfunctions/tf-functions 1.0.0: Every built-in transform function
-- checksum sha256-v1:4e04830812f9a84a5fa356196fd2b7da3ddb00b6bfb5c972146921e723f9e1ed
BEGIN;
-- step drop-target (down): Drop tf_target
DROP TABLE tf_target;
-- step drop-source (down): Drop tf_source
DROP TABLE tf_source;
COMMIT;
