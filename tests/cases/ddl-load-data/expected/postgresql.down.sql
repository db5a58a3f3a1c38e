-- migpkg 0.1.0 plan for postgresql (down): 1 migration

-- migration test.load/reference-data 1.0.0: Countries and exchange rates, with their rows
-- checksum sha256-v1:4edda322b57dfdc731ee9c25eecba6c5a316fde134fd18c5d719f57993d551a7
BEGIN;
-- step unload-load-rates (down): Unload data/rates.csv from ld_rates
DELETE FROM "ld_rates" WHERE ("currency" = 'EUR' AND "year" = 2023) OR ("currency" = 'EUR' AND "year" = 2024) OR ("currency" = 'PLN' AND "year" = 2024) OR ("currency" = 'JPY' AND "year" = 2024);
-- step unload-load-countries (down): Unload data/countries.ndjson from ld_countries
DELETE FROM "ld_countries" WHERE "code" IN ('FR', 'PL', 'IS', 'JP', 'O''');
-- step drop-rates (down): Drop rates
DROP TABLE "ld_rates";
-- step drop-countries (down): Drop countries
DROP TABLE "ld_countries";
COMMIT;
