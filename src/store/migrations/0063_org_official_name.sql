-- 0063: the official name of each organisation ("Lunds kommun", "Stockholms
-- stad", "Region Skåne"; data/reference/kommuner.csv column namn and
-- regioner.csv column region, PROVENANCE.md), the name letters and pages use
-- for it as a party. Empty on a database made before it: `bidrag migrate`
-- and `bidrag init` fill it from the reference data in one audited action
-- (refdata_update_names).
ALTER TABLE org ADD COLUMN official_name TEXT NOT NULL DEFAULT '';
