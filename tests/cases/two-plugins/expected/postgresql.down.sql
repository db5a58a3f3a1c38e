-- migpkg 0.1.0 plan for postgresql (down): 2 migrations

-- migration test.addon/addon-install 1.0.0: Install the addon
-- checksum sha256-v1:46df91a9f8e62766260b0c8c3d8fa952603d9a6883daf472a66375b0065d1c9d
BEGIN;
-- step drop-settings (down): Drop tp_addon_settings
DROP TABLE tp_addon_settings;
COMMIT;

-- migration test.base/base-install 1.2.0: Install the base plugin
-- checksum sha256-v1:b70575f66fae140ac2e279033077946641387b61b53f45e84aec152f41b3717d
BEGIN;
-- step drop-accounts (down): Drop tp_accounts
DROP TABLE tp_accounts;
COMMIT;
