-- A penscope store at schema version 1 (before goals and attachments), with
-- one child, two sessions and their measurements, as a 0.1.0 build wrote it.
-- Kept to test that opening it migrates to the current schema without loss.
PRAGMA application_id = 1347634000;
PRAGMA user_version = 1;
CREATE TABLE children ( id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, birth_year INTEGER, grade TEXT, hand TEXT, notes TEXT, created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
CREATE TABLE sessions ( id INTEGER PRIMARY KEY, child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE, date TEXT NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL, options TEXT, detail TEXT, version TEXT NOT NULL, note TEXT, created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), UNIQUE (child_id, date, kind, sha256));
CREATE TABLE measurements ( id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, metric TEXT NOT NULL, value REAL, text TEXT, unit TEXT, detail TEXT, UNIQUE (session_id, metric));
CREATE INDEX measurements_metric ON measurements(metric);
INSERT INTO children(id, code, birth_year, grade, hand, notes) VALUES (1, 'K7', 2018, '1', 'left', 'seen weekly');
INSERT INTO sessions(id, child_id, date, kind, file, sha256, options, detail, version, note) VALUES
 (1, 1, '2026-01-12', 'grip', 'a.jpg', '1111111111111111111111111111111111111111111111111111111111111111', '{}', '{}', '0.1.0', NULL),
 (2, 1, '2026-02-09', 'grip', 'b.jpg', '2222222222222222222222222222222222222222222222222222222222222222', '{}', '{}', '0.1.0', 'after 4 weeks');
INSERT INTO measurements(session_id, metric, value, text, unit) VALUES
 (1, 'grip_distance_mm', 4.0, NULL, 'mm'), (1, 'grasp', NULL, 'thumb_wrap', NULL),
 (2, 'grip_distance_mm', 14.0, NULL, 'mm'), (2, 'grasp', NULL, 'dynamic_tripod', NULL);
