// Schema migrations, applied in order; PRAGMA user_version records how many ran.
// Never edit a published migration: append a new one.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    -- PatientID + IssuerOfPatientID; an empty PatientID is keyed by name and birth date
    -- so that anonymous patients are not merged into one.
    patient_key TEXT NOT NULL UNIQUE,
    patient_id TEXT NOT NULL,
    issuer TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL
  );
  CREATE TABLE studies (
    id INTEGER PRIMARY KEY,
    study_uid TEXT NOT NULL UNIQUE,
    patient_pk INTEGER NOT NULL REFERENCES patients(id),
    study_date TEXT NOT NULL,
    study_time TEXT NOT NULL,
    description TEXT NOT NULL,
    accession TEXT NOT NULL,
    series_count INTEGER NOT NULL DEFAULT 0,
    instance_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX studies_patient ON studies(patient_pk);
  CREATE INDEX studies_date ON studies(study_date);
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    series_uid TEXT NOT NULL UNIQUE,
    study_pk INTEGER NOT NULL REFERENCES studies(id),
    modality TEXT NOT NULL,
    series_number INTEGER,
    description TEXT NOT NULL,
    instance_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX series_study ON series(study_pk);
  CREATE TABLE instances (
    id INTEGER PRIMARY KEY,
    sop_uid TEXT NOT NULL UNIQUE,
    series_pk INTEGER NOT NULL REFERENCES series(id),
    sop_class_uid TEXT NOT NULL,
    instance_number INTEGER,
    transfer_syntax_uid TEXT NOT NULL,
    rows INTEGER,
    columns INTEGER,
    frames INTEGER NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL
  );
  CREATE INDEX instances_series ON instances(series_pk);
  -- Same SOPInstanceUID, different bytes: the file is kept and listed here, never dropped.
  CREATE TABLE instance_conflicts (
    id INTEGER PRIMARY KEY,
    sop_uid TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    source_path TEXT NOT NULL,
    found_at TEXT NOT NULL
  );
  -- Counts kept by triggers so that they stay right whatever path writes the rows.
  CREATE TRIGGER series_added AFTER INSERT ON series BEGIN
    UPDATE studies SET series_count = series_count + 1 WHERE id = NEW.study_pk;
  END;
  CREATE TRIGGER series_removed AFTER DELETE ON series BEGIN
    UPDATE studies SET series_count = series_count - 1 WHERE id = OLD.study_pk;
  END;
  CREATE TRIGGER instance_added AFTER INSERT ON instances BEGIN
    UPDATE series SET instance_count = instance_count + 1 WHERE id = NEW.series_pk;
    UPDATE studies SET instance_count = instance_count + 1
      WHERE id = (SELECT study_pk FROM series WHERE id = NEW.series_pk);
  END;
  CREATE TRIGGER instance_removed AFTER DELETE ON instances BEGIN
    UPDATE series SET instance_count = instance_count - 1 WHERE id = OLD.series_pk;
    UPDATE studies SET instance_count = instance_count - 1
      WHERE id = (SELECT study_pk FROM series WHERE id = OLD.series_pk);
  END;
  `,
  // Import engine: the full index of issue "Import engine", import history, and the cache of
  // source files already read (path, size, mtime) that makes a re-import fast.
  `
  ALTER TABLE studies ADD COLUMN referring_physician TEXT NOT NULL DEFAULT '';
  ALTER TABLE studies ADD COLUMN institution TEXT NOT NULL DEFAULT '';
  -- For studies without an AccessionNumber: L-YYYYMMDD-NNNN, shown and searchable; files untouched.
  ALTER TABLE studies ADD COLUMN local_reference TEXT NOT NULL DEFAULT '';
  ALTER TABLE studies ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
  CREATE INDEX studies_local_reference ON studies(local_reference);
  ALTER TABLE series ADD COLUMN body_part TEXT NOT NULL DEFAULT '';
  ALTER TABLE series ADD COLUMN frame_of_reference_uid TEXT NOT NULL DEFAULT '';
  ALTER TABLE instances ADD COLUMN samples_per_pixel INTEGER;
  ALTER TABLE instances ADD COLUMN bits_allocated INTEGER;
  ALTER TABLE instances ADD COLUMN bits_stored INTEGER;
  ALTER TABLE instances ADD COLUMN photometric TEXT NOT NULL DEFAULT '';
  -- Numeric multi-values as JSON arrays (or NULL when absent).
  ALTER TABLE instances ADD COLUMN image_position TEXT;
  ALTER TABLE instances ADD COLUMN image_orientation TEXT;
  ALTER TABLE instances ADD COLUMN pixel_spacing TEXT;
  ALTER TABLE instances ADD COLUMN window_center TEXT;
  ALTER TABLE instances ADD COLUMN window_width TEXT;
  ALTER TABLE instances ADD COLUMN window_explanation TEXT;
  -- 1: indexed where it lies (--link), path absolute; 0: a managed copy, path relative.
  ALTER TABLE instances ADD COLUMN linked INTEGER NOT NULL DEFAULT 0;
  -- 1: a bare dataset without preamble and meta header.
  ALTER TABLE instances ADD COLUMN raw_dataset INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE import_sources (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ms REAL NOT NULL,
    sha256 TEXT NOT NULL,
    sop_uid TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE import_jobs (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    -- The process running it: a "running" job whose process is gone was interrupted.
    pid INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    report TEXT
  );
  CREATE INDEX import_jobs_started ON import_jobs(started_at);
  CREATE INDEX instance_conflicts_sop ON instance_conflicts(sop_uid);
  `,
  `
  -- Workstation settings, JSON values keyed by name (shared/settings.ts).
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  -- Hourly counters (API calls and errors, instances received and sent) for the health panel.
  CREATE TABLE metrics_hourly (
    hour INTEGER NOT NULL, -- hours since the Unix epoch
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (hour, name)
  ) WITHOUT ROWID;
  CREATE TABLE integrity_checks (
    id INTEGER PRIMARY KEY,
    checked_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    result TEXT NOT NULL
  );
  -- Every process that opened the store: uptime, and stops that never closed it (crashes).
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    pid INTEGER NOT NULL,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    stopped_at TEXT,
    unclean INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX runs_open ON runs(stopped_at);
  -- Store totals kept by triggers: summing a table of millions of instances takes seconds.
  CREATE TABLE store_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    instances INTEGER NOT NULL,
    stored_bytes INTEGER NOT NULL,
    linked_bytes INTEGER NOT NULL
  );
  INSERT INTO store_totals
    SELECT 1, count(*), coalesce(sum(CASE WHEN linked = 0 THEN size END), 0), coalesce(sum(CASE WHEN linked = 1 THEN size END), 0)
    FROM instances;
  CREATE TRIGGER totals_added AFTER INSERT ON instances BEGIN
    UPDATE store_totals SET instances = instances + 1,
      stored_bytes = stored_bytes + (CASE WHEN NEW.linked = 0 THEN NEW.size ELSE 0 END),
      linked_bytes = linked_bytes + (CASE WHEN NEW.linked = 1 THEN NEW.size ELSE 0 END);
  END;
  CREATE TRIGGER totals_removed AFTER DELETE ON instances BEGIN
    UPDATE store_totals SET instances = instances - 1,
      stored_bytes = stored_bytes - (CASE WHEN OLD.linked = 0 THEN OLD.size ELSE 0 END),
      linked_bytes = linked_bytes - (CASE WHEN OLD.linked = 1 THEN OLD.size ELSE 0 END);
  END;
  CREATE TRIGGER totals_changed AFTER UPDATE OF size, linked ON instances BEGIN
    UPDATE store_totals SET
      stored_bytes = stored_bytes - (CASE WHEN OLD.linked = 0 THEN OLD.size ELSE 0 END) + (CASE WHEN NEW.linked = 0 THEN NEW.size ELSE 0 END),
      linked_bytes = linked_bytes - (CASE WHEN OLD.linked = 1 THEN OLD.size ELSE 0 END) + (CASE WHEN NEW.linked = 1 THEN NEW.size ELSE 0 END);
  END;
  `,
  `
  -- Accounts, facilities and the audit trail (shared/auth.ts, shared/audit.ts).
  CREATE TABLE facilities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE, -- upper-cased and trimmed: names ignore case
    created_at TEXT NOT NULL
  );
  -- InstitutionName (as the files spell it, keyed upper-cased and trimmed) -> facility.
  CREATE TABLE facility_institutions (
    institution_key TEXT PRIMARY KEY,
    institution TEXT NOT NULL,
    facility_id INTEGER NOT NULL REFERENCES facilities(id)
  ) WITHOUT ROWID;
  CREATE INDEX facility_institutions_facility ON facility_institutions(facility_id);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE, -- lower-cased: usernames ignore case
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    facility_id INTEGER REFERENCES facilities(id),
    license_number TEXT NOT NULL DEFAULT '',
    specialization TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL, -- scrypt$N$r$p$salt$hash (base64)
    must_change_password INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_login_at TEXT
  );
  CREATE TABLE login_failures (
    user_id INTEGER NOT NULL REFERENCES users(id),
    at TEXT NOT NULL
  );
  CREATE INDEX login_failures_user ON login_failures(user_id, at);
  -- Which facility a study belongs to: the institution's mapping, else the importing user's.
  ALTER TABLE studies ADD COLUMN facility_id INTEGER REFERENCES facilities(id);
  CREATE INDEX studies_facility ON studies(facility_id);
  -- Append-only, hash-chained: hash = sha256(prev_hash || canonical JSON of the event).
  CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY, -- the eventId: 1, 2, 3... with no gaps
    time TEXT NOT NULL,
    code TEXT NOT NULL, -- EventID (DCM)
    type_code TEXT, -- EventTypeCode (DCM)
    action TEXT NOT NULL,
    outcome INTEGER NOT NULL,
    user TEXT NOT NULL,
    user_key TEXT NOT NULL, -- user lower-cased (as users.username_key): the filter ignores case, beyond ASCII too
    role TEXT,
    host TEXT NOT NULL,
    ae_title TEXT,
    patient_ids TEXT NOT NULL, -- JSON array
    study_uids TEXT NOT NULL, -- JSON array
    description TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE INDEX audit_events_user ON audit_events(user_key, id);
  CREATE INDEX audit_events_code ON audit_events(code, id);
  CREATE INDEX audit_events_time ON audit_events(time);
  -- The patient filter of the audit viewer, without scanning JSON.
  CREATE TABLE audit_patients (
    patient_id TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    PRIMARY KEY (patient_id, event_id)
  ) WITHOUT ROWID;
  -- The chain's last link, written with each event: deleting the newest events shows.
  CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_id INTEGER NOT NULL,
    last_hash TEXT NOT NULL
  );
  `,
  `
  -- The DICOM network node (shared/network.ts): the peers studies are sent to, send jobs (as
  -- import_jobs), and the receiver's state, written by the process running it and read by the
  -- health report of every process.
  CREATE TABLE dicom_nodes (
    id INTEGER PRIMARY KEY,
    ae_title TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (ae_title, host, port)
  );
  CREATE TABLE send_jobs (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    pid INTEGER NOT NULL,
    destination TEXT NOT NULL,
    study_uid TEXT NOT NULL,
    report TEXT NOT NULL
  );
  CREATE INDEX send_jobs_started ON send_jobs(started_at);
  CREATE TABLE receiver_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    pid INTEGER NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  `,
  `
  -- The viewer (shared/viewer.ts): measurements each user made on an image (kept per user and
  -- instance, restored when the study is opened again), and one thumbnail per series, made once
  -- by a window from the series' middle image and served from here afterwards.
  CREATE TABLE annotations (
    id TEXT PRIMARY KEY, -- the annotation's UID, as the viewer's tools name it
    user_id INTEGER NOT NULL REFERENCES users(id),
    sop_uid TEXT NOT NULL,
    frame INTEGER NOT NULL DEFAULT 1,
    study_uid TEXT NOT NULL,
    tool TEXT NOT NULL,
    data TEXT NOT NULL, -- JSON: the tool's points and computed figures
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX annotations_study ON annotations(user_id, study_uid);
  CREATE TABLE series_thumbnails (
    series_uid TEXT PRIMARY KEY,
    png BLOB NOT NULL,
    made_at TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
