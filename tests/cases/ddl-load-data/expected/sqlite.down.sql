-- migpkg 0.1.0 plan for sqlite (down): 2 migrations

-- migration test.load/reference-rows 1.1.0: Their rows, from data/
-- checksum sha256-v1:3ed281f0c3a240df11d6045de6c7cf76ffbc89a33b07d9b0bf9ea80e7d767e5d
BEGIN;
-- step unload-load-rates (down): Unload data/rates.csv from ld_rates
DELETE FROM "ld_rates" WHERE ("currency" = 'EUR' AND "year" = 2023) OR ("currency" = 'EUR' AND "year" = 2024) OR ("currency" = 'PLN' AND "year" = 2024) OR ("currency" = 'JPY' AND "year" = 2024);
-- step unload-load-countries (down): Unload data/countries.ndjson from ld_countries
DELETE FROM "ld_countries" WHERE "code" IN ('FR', 'PL', 'IS', 'JP', 'O''');
COMMIT;

-- migration test.load/reference-tables 1.0.0: Countries and exchange rates
-- checksum sha256-v1:34d17fb93fdd5995dc842cdf75fa725f78bb34d695df4d08f09a326353764f6f
BEGIN;
-- step drop-rates (down): Drop rates
DROP TABLE "ld_rates";
-- step drop-countries (down): Drop countries
DROP TABLE "ld_countries";
COMMIT;
