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
  `
  -- The study browser (shared/studies.ts): search terms, each study's modalities, sort keys,
  -- indexes for every filter and sort column, and per-facility totals for the summary of an
  -- unfiltered list. Name keys and terms are folded in JS (store/searchKeys.ts): openDb registers
  -- those functions as noctis_name_key and noctis_study_terms so that this fills them for the
  -- studies already stored; the catalog writes them for new ones.
  ALTER TABLE patients ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
  UPDATE patients SET name_key = noctis_name_key(name);
  CREATE INDEX patients_name_key ON patients(name_key);
  CREATE INDEX patients_patient_id ON patients(patient_id);
  CREATE INDEX patients_birth_date ON patients(birth_date);
  CREATE INDEX patients_sex ON patients(sex);
  -- A query word finds a study when it is the prefix of one of its terms: a range of this key.
  CREATE TABLE study_terms (
    term TEXT NOT NULL,
    study_pk INTEGER NOT NULL,
    PRIMARY KEY (term, study_pk)
  ) WITHOUT ROWID;
  CREATE INDEX study_terms_study ON study_terms(study_pk);
  INSERT OR IGNORE INTO study_terms (term, study_pk)
    SELECT t.value, s.id FROM studies s JOIN patients p ON p.id = s.patient_pk,
      json_each(noctis_study_terms(p.name, p.patient_id, s.accession, s.local_reference)) t;
  -- Small codes for the institutions and the sets of modalities ("CT,SR") studies have: the
  -- filters and the summary handle integers per study, not text. Code 0 is the empty set.
  CREATE TABLE study_institutions (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
  CREATE TABLE study_modality_sets (code INTEGER PRIMARY KEY, modalities TEXT NOT NULL UNIQUE);
  INSERT INTO study_modality_sets (code, modalities) VALUES (0, '');
  ALTER TABLE studies ADD COLUMN institution_code INTEGER NOT NULL DEFAULT 0;
  -- The study's modalities (of its series), sorted and comma-separated, and their set's code;
  -- kept by the triggers below.
  ALTER TABLE studies ADD COLUMN modalities TEXT NOT NULL DEFAULT '';
  ALTER TABLE studies ADD COLUMN modality_set INTEGER NOT NULL DEFAULT 0;
  INSERT OR IGNORE INTO study_institutions (name) SELECT DISTINCT institution FROM studies;
  UPDATE studies SET institution_code = (SELECT code FROM study_institutions WHERE name = studies.institution);
  UPDATE studies SET modalities = coalesce((SELECT group_concat(modality, ',' ORDER BY modality)
    FROM (SELECT DISTINCT modality FROM series WHERE study_pk = studies.id AND modality <> '')), '');
  INSERT OR IGNORE INTO study_modality_sets (modalities) SELECT DISTINCT modalities FROM studies;
  UPDATE studies SET modality_set = (SELECT code FROM study_modality_sets WHERE modalities = studies.modalities);
  -- The first letters of a study's terms, once each, with what the summary reads of the study:
  -- the first key typed (whose prefix matches many terms) reads these rows alone, in study order,
  -- with no duplicates to remove. Kept in step with the study by a trigger below.
  CREATE TABLE study_initials (
    initial TEXT NOT NULL,
    study_pk INTEGER NOT NULL,
    patient_pk INTEGER NOT NULL,
    facility_id INTEGER,
    study_date TEXT NOT NULL,
    institution_code INTEGER NOT NULL,
    modality_set INTEGER NOT NULL,
    series_count INTEGER NOT NULL,
    instance_count INTEGER NOT NULL,
    PRIMARY KEY (initial, study_pk)
  ) WITHOUT ROWID;
  CREATE INDEX study_initials_study ON study_initials(study_pk);
  INSERT OR IGNORE INTO study_initials
    SELECT DISTINCT substr(t.term, 1, 1), s.id, s.patient_pk, s.facility_id, s.study_date, s.institution_code, s.modality_set, s.series_count, s.instance_count
    FROM study_terms t JOIN studies s ON s.id = t.study_pk;
  -- Filters and sorts. The summary reads what it needs from the date and modality indexes alone
  -- (no row lookups). Each sort index orders ties by study date and id (named, so that ORDER BY
  -- matches the index and nothing is sorted) and carries the filter columns, so that walking it
  -- in order tests each study's filters without reading its row.
  DROP INDEX studies_date;
  DROP INDEX studies_patient;
  CREATE INDEX studies_browse_date ON studies(study_date, study_time, id, facility_id, patient_pk, series_count, instance_count, institution_code, modality_set);
  CREATE INDEX studies_browse_modality ON studies(modality_set, facility_id, study_date, patient_pk, series_count, instance_count, institution_code);
  CREATE INDEX studies_patient ON studies(patient_pk, study_date, id, facility_id, institution_code, modality_set);
  CREATE INDEX studies_description ON studies(description COLLATE NOCASE, study_date, id, facility_id, institution_code, modality_set);
  CREATE INDEX studies_accession ON studies(accession, local_reference, study_date, id, facility_id, institution_code, modality_set);
  CREATE INDEX studies_institution ON studies(institution COLLATE NOCASE, study_date, id, facility_id, institution_code, modality_set);
  CREATE INDEX studies_modalities ON studies(modalities, study_date, id, facility_id, institution_code, modality_set);
  CREATE INDEX studies_series_count ON studies(series_count, study_date, id, facility_id, institution_code, modality_set);
  CREATE INDEX studies_instance_count ON studies(instance_count, study_date, id, facility_id, institution_code, modality_set);
  -- The summary of an unfiltered list without a scan: totals per facility_key (a facility's id,
  -- 0 for studies of no facility, -1 for all studies), and how many studies each patient has
  -- there (a patient counts while they have one).
  CREATE TABLE study_totals (
    facility_key INTEGER PRIMARY KEY,
    studies INTEGER NOT NULL,
    series INTEGER NOT NULL,
    images INTEGER NOT NULL,
    patients INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE study_patients (
    facility_key INTEGER NOT NULL,
    patient_pk INTEGER NOT NULL,
    studies INTEGER NOT NULL,
    PRIMARY KEY (facility_key, patient_pk)
  ) WITHOUT ROWID;
  -- How many of a facility's studies have each institution and each set of modalities.
  CREATE TABLE study_facets (
    facility_key INTEGER NOT NULL,
    kind TEXT NOT NULL, -- 'institution' or 'modality_set'
    code INTEGER NOT NULL,
    studies INTEGER NOT NULL,
    PRIMARY KEY (facility_key, kind, code)
  ) WITHOUT ROWID;
  INSERT INTO study_totals (facility_key, studies, series, images, patients)
    SELECT coalesce(facility_id, 0), count(*), sum(series_count), sum(instance_count), count(DISTINCT patient_pk) FROM studies GROUP BY 1
    UNION ALL SELECT -1, count(*), coalesce(sum(series_count), 0), coalesce(sum(instance_count), 0), count(DISTINCT patient_pk) FROM studies;
  INSERT INTO study_patients (facility_key, patient_pk, studies)
    SELECT coalesce(facility_id, 0), patient_pk, count(*) FROM studies GROUP BY 1, 2
    UNION ALL SELECT -1, patient_pk, count(*) FROM studies GROUP BY 2;
  INSERT INTO study_facets (facility_key, kind, code, studies)
    SELECT coalesce(facility_id, 0), 'institution', institution_code, count(*) FROM studies GROUP BY 1, 3;
  INSERT INTO study_facets (facility_key, kind, code, studies)
    SELECT coalesce(facility_id, 0), 'modality_set', modality_set, count(*) FROM studies GROUP BY 1, 3;
  CREATE TRIGGER browse_patient_added AFTER INSERT ON study_patients BEGIN
    UPDATE study_totals SET patients = patients + 1 WHERE facility_key = NEW.facility_key;
  END;
  CREATE TRIGGER browse_patient_removed AFTER DELETE ON study_patients BEGIN
    UPDATE study_totals SET patients = patients - 1 WHERE facility_key = OLD.facility_key;
  END;
  -- A series of a modality the study did not have yet (or one removed, or changed) makes the
  -- study's modalities again (the catalog gives a new study its first series' modality).
  CREATE TRIGGER browse_series_added AFTER INSERT ON series
    WHEN NEW.modality <> '' AND instr(',' || (SELECT modalities FROM studies WHERE id = NEW.study_pk) || ',', ',' || NEW.modality || ',') = 0 BEGIN
    INSERT OR IGNORE INTO study_modality_sets (modalities) SELECT group_concat(modality, ',' ORDER BY modality)
      FROM (SELECT DISTINCT modality FROM series WHERE study_pk = NEW.study_pk AND modality <> '');
    UPDATE studies SET (modalities, modality_set) = (SELECT m.modalities, m.code FROM study_modality_sets m
      WHERE m.modalities = (SELECT group_concat(modality, ',' ORDER BY modality) FROM (SELECT DISTINCT modality FROM series WHERE study_pk = NEW.study_pk AND modality <> '')))
      WHERE id = NEW.study_pk;
  END;
  CREATE TRIGGER browse_series_removed AFTER DELETE ON series BEGIN
    INSERT OR IGNORE INTO study_modality_sets (modalities) SELECT coalesce(group_concat(modality, ',' ORDER BY modality), '')
      FROM (SELECT DISTINCT modality FROM series WHERE study_pk = OLD.study_pk AND modality <> '');
    UPDATE studies SET (modalities, modality_set) = (SELECT m.modalities, m.code FROM study_modality_sets m
      WHERE m.modalities = (SELECT coalesce(group_concat(modality, ',' ORDER BY modality), '') FROM (SELECT DISTINCT modality FROM series WHERE study_pk = OLD.study_pk AND modality <> '')))
      WHERE id = OLD.study_pk;
  END;
  CREATE TRIGGER browse_series_changed AFTER UPDATE OF modality, study_pk ON series BEGIN
    INSERT OR IGNORE INTO study_modality_sets (modalities) SELECT coalesce((SELECT group_concat(modality, ',' ORDER BY modality)
      FROM (SELECT DISTINCT modality FROM series WHERE study_pk = st.id AND modality <> '')), '') FROM studies st WHERE st.id IN (OLD.study_pk, NEW.study_pk);
    UPDATE studies SET (modalities, modality_set) = (SELECT m.modalities, m.code FROM study_modality_sets m
      WHERE m.modalities = coalesce((SELECT group_concat(modality, ',' ORDER BY modality) FROM (SELECT DISTINCT modality FROM series WHERE study_pk = studies.id AND modality <> '')), ''))
      WHERE id IN (OLD.study_pk, NEW.study_pk);
  END;
  -- The initials follow their study (another facility, a new modality; counts: below).
  CREATE TRIGGER browse_initials_follow AFTER UPDATE OF patient_pk, facility_id, study_date, institution_code, modality_set ON studies BEGIN
    UPDATE study_initials SET patient_pk = NEW.patient_pk, facility_id = NEW.facility_id, study_date = NEW.study_date, institution_code = NEW.institution_code,
      modality_set = NEW.modality_set, series_count = NEW.series_count, instance_count = NEW.instance_count
      WHERE study_pk = NEW.id;
  END;
  CREATE TRIGGER browse_study_added AFTER INSERT ON studies BEGIN
    INSERT INTO study_totals (facility_key, studies, series, images)
      VALUES (coalesce(NEW.facility_id, 0), 1, NEW.series_count, NEW.instance_count), (-1, 1, NEW.series_count, NEW.instance_count)
      ON CONFLICT DO UPDATE SET studies = studies + 1, series = series + excluded.series, images = images + excluded.images;
    INSERT INTO study_patients (facility_key, patient_pk, studies) VALUES (coalesce(NEW.facility_id, 0), NEW.patient_pk, 1), (-1, NEW.patient_pk, 1)
      ON CONFLICT DO UPDATE SET studies = studies + 1;
    INSERT INTO study_facets (facility_key, kind, code, studies)
      VALUES (coalesce(NEW.facility_id, 0), 'institution', NEW.institution_code, 1), (coalesce(NEW.facility_id, 0), 'modality_set', NEW.modality_set, 1)
      ON CONFLICT DO UPDATE SET studies = studies + 1;
  END;
  -- Series and instances added (the count triggers of the first migration): only the sums change.
  CREATE TRIGGER browse_study_counted AFTER UPDATE OF series_count, instance_count ON studies
    WHEN OLD.facility_id IS NEW.facility_id AND OLD.patient_pk = NEW.patient_pk BEGIN
    UPDATE study_totals SET series = series + NEW.series_count - OLD.series_count, images = images + NEW.instance_count - OLD.instance_count
      WHERE facility_key IN (coalesce(NEW.facility_id, 0), -1);
    UPDATE study_initials SET series_count = NEW.series_count, instance_count = NEW.instance_count WHERE study_pk = NEW.id;
  END;
  -- Another institution or set of modalities (a series of a new modality): the facets change.
  CREATE TRIGGER browse_study_regrouped AFTER UPDATE OF institution_code, modality_set ON studies
    WHEN OLD.facility_id IS NEW.facility_id AND OLD.patient_pk = NEW.patient_pk
      AND (OLD.institution_code <> NEW.institution_code OR OLD.modality_set <> NEW.modality_set) BEGIN
    UPDATE study_facets SET studies = studies - 1 WHERE facility_key = coalesce(OLD.facility_id, 0)
      AND ((kind = 'institution' AND code = OLD.institution_code) OR (kind = 'modality_set' AND code = OLD.modality_set));
    INSERT INTO study_facets (facility_key, kind, code, studies)
      VALUES (coalesce(NEW.facility_id, 0), 'institution', NEW.institution_code, 1), (coalesce(NEW.facility_id, 0), 'modality_set', NEW.modality_set, 1)
      ON CONFLICT DO UPDATE SET studies = studies + 1;
  END;
  -- Another facility (an institution an admin mapped) or patient: the study's share moves from
  -- the old figures to the new (whatever else changed in the same statement).
  CREATE TRIGGER browse_study_moved AFTER UPDATE OF facility_id, patient_pk ON studies
    WHEN OLD.facility_id IS NOT NEW.facility_id OR OLD.patient_pk <> NEW.patient_pk BEGIN
    UPDATE study_totals SET studies = studies - 1, series = series - OLD.series_count, images = images - OLD.instance_count
      WHERE facility_key IN (coalesce(OLD.facility_id, 0), -1);
    UPDATE study_patients SET studies = studies - 1 WHERE facility_key IN (coalesce(OLD.facility_id, 0), -1) AND patient_pk = OLD.patient_pk;
    DELETE FROM study_patients WHERE facility_key IN (coalesce(OLD.facility_id, 0), -1) AND patient_pk = OLD.patient_pk AND studies = 0;
    UPDATE study_facets SET studies = studies - 1 WHERE facility_key = coalesce(OLD.facility_id, 0)
      AND ((kind = 'institution' AND code = OLD.institution_code) OR (kind = 'modality_set' AND code = OLD.modality_set));
    INSERT INTO study_totals (facility_key, studies, series, images)
      VALUES (coalesce(NEW.facility_id, 0), 1, NEW.series_count, NEW.instance_count), (-1, 1, NEW.series_count, NEW.instance_count)
      ON CONFLICT DO UPDATE SET studies = studies + 1, series = series + excluded.series, images = images + excluded.images;
    INSERT INTO study_patients (facility_key, patient_pk, studies) VALUES (coalesce(NEW.facility_id, 0), NEW.patient_pk, 1), (-1, NEW.patient_pk, 1)
      ON CONFLICT DO UPDATE SET studies = studies + 1;
    INSERT INTO study_facets (facility_key, kind, code, studies)
      VALUES (coalesce(NEW.facility_id, 0), 'institution', NEW.institution_code, 1), (coalesce(NEW.facility_id, 0), 'modality_set', NEW.modality_set, 1)
      ON CONFLICT DO UPDATE SET studies = studies + 1;
  END;
  CREATE TRIGGER browse_study_removed AFTER DELETE ON studies BEGIN
    UPDATE study_totals SET studies = studies - 1, series = series - OLD.series_count, images = images - OLD.instance_count
      WHERE facility_key IN (coalesce(OLD.facility_id, 0), -1);
    UPDATE study_patients SET studies = studies - 1 WHERE facility_key IN (coalesce(OLD.facility_id, 0), -1) AND patient_pk = OLD.patient_pk;
    DELETE FROM study_patients WHERE facility_key IN (coalesce(OLD.facility_id, 0), -1) AND patient_pk = OLD.patient_pk AND studies = 0;
    UPDATE study_facets SET studies = studies - 1 WHERE facility_key = coalesce(OLD.facility_id, 0)
      AND ((kind = 'institution' AND code = OLD.institution_code) OR (kind = 'modality_set' AND code = OLD.modality_set));
    DELETE FROM study_terms WHERE study_pk = OLD.id;
    DELETE FROM study_initials WHERE study_pk = OLD.id;
  END;
  `,
];
