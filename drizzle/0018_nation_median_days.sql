-- The nation's day counts for the medians, kept beside the provinces' (province and district
-- '') from the provinces' counts already kept: an incremental refresh then moves them by its
-- districts' change instead of summing every province's.
INSERT INTO "median_days" ("indicator_id", "period", "province_code", "district_code", "programme", "idpoor", "days", "n")
SELECT "indicator_id", "period", '', '', "programme", "idpoor", "days", sum("n")::int
FROM "median_days" WHERE "district_code" = '' AND "province_code" <> ''
GROUP BY "indicator_id", "period", "programme", "idpoor", "days";
