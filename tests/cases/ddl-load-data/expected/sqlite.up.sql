-- migpkg 0.1.0 plan for sqlite (up): 2 migrations

-- migration test.load/reference-tables 1.0.0: Countries and exchange rates
-- checksum sha256-v1:34d17fb93fdd5995dc842cdf75fa725f78bb34d695df4d08f09a326353764f6f
BEGIN;
-- step create-countries (up): Create countries
CREATE TABLE "ld_countries" (
  "code" VARCHAR(8) NOT NULL,
  "name" TEXT NOT NULL,
  "population" INTEGER,
  CONSTRAINT "pk_ld_countries" PRIMARY KEY ("code")
);
-- step create-rates (up): Create rates
CREATE TABLE "ld_rates" (
  "currency" VARCHAR(3) NOT NULL,
  "year" INTEGER NOT NULL,
  "rate" NUMERIC(12,4),
  CONSTRAINT "pk_ld_rates" PRIMARY KEY ("currency", "year")
);
COMMIT;

-- migration test.load/reference-rows 1.1.0: Their rows, from data/
-- checksum sha256-v1:3ed281f0c3a240df11d6045de6c7cf76ffbc89a33b07d9b0bf9ea80e7d767e5d
BEGIN;
-- step load-countries (up, load): Load the countries
-- load data/countries.ndjson (sha256 0d175439098fdfcfd815e4f139250ba0e894a3ca8a2cfe27d2f2998d2531a2f9) into ld_countries, on conflict skip
-- step load-rates (up, load): Load the rates
-- load data/rates.csv (sha256 845f409ceabf5d11749c3125c3b14740db0afde7eda8626ee20dccc2fd0831ca) into ld_rates, on conflict fail
COMMIT;
