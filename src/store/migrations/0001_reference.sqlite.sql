-- 0001: reference data: organisations, population and metric series, programs.
CREATE TABLE org (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,               -- kommun name, or region body name
    kommun_code TEXT UNIQUE,          -- 4 digits, NULL if not a kommun
    region_code TEXT UNIQUE,          -- 2 digits (länskod), NULL if not a region
    region_name TEXT,                 -- "Region Gotland" when region_code is set
    lan_code TEXT NOT NULL,
    lan_name TEXT NOT NULL,
    CHECK (kommun_code IS NOT NULL OR region_code IS NOT NULL)
);

-- A series of integer values per recipient code: population at a date, or
-- a metric such as AT posts reported.
CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('population', 'metric')),
    name TEXT NOT NULL,
    ref_date TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    illustrative INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    UNIQUE (kind, name, ref_date)
);

CREATE TABLE series_value (
    series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (series_id, code)
) WITHOUT ROWID;

-- A program is kept as its source text (and the files it names, such as an
-- explicit key table) so that it can be re-parsed and re-explained exactly.
CREATE TABLE program (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    diarienummer TEXT NOT NULL,
    total_ore INTEGER NOT NULL,
    source_name TEXT NOT NULL,
    source TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

CREATE TABLE program_file (
    program_id TEXT NOT NULL REFERENCES program(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (program_id, name)
) WITHOUT ROWID;
