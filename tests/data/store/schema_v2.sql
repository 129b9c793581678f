-- A penscope store at schema version 2 (goals and attachments, before per-session
-- warnings), as penscope 0.1.0 wrote it: one child, five sessions, a goal with GAS
-- levels. Kept to test the migration to the current schema.
PRAGMA application_id = 1347634000;
PRAGMA user_version = 2;
CREATE TABLE children ( id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, birth_year INTEGER, grade TEXT, hand TEXT, notes TEXT, created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
INSERT INTO children VALUES(1,'F1',NULL,NULL,NULL,NULL,'2026-11-26T19:46:14Z');
CREATE TABLE sessions ( id INTEGER PRIMARY KEY, child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE, date TEXT NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL, options TEXT, detail TEXT, version TEXT NOT NULL, note TEXT, created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), UNIQUE (child_id, date, kind, sha256));
INSERT INTO sessions VALUES(1,1,'2026-01-01','selftest','c1.txt','5761e88e254161853cb7982881d791238bbcc7b60b482c32347be426a225ae0f','{"kind":"selftest"}','{}','0.1.0',NULL,'2026-11-26T19:46:15Z');
INSERT INTO sessions VALUES(2,1,'2026-01-02','selftest','c2.txt','6c24c31652d65ba38edd7d2e147ee1ad22277ebc43b62aa1ec8d538f007a21cb','{"kind":"selftest"}','{}','0.1.0',NULL,'2026-11-26T19:46:15Z');
INSERT INTO sessions VALUES(3,1,'2026-01-03','selftest','c3.txt','2f5c625bc819a45d87f5f2da1b89140ceeb22ddfd2202f881744d28b11985398','{"kind":"selftest"}','{}','0.1.0',NULL,'2026-11-26T19:46:15Z');
INSERT INTO sessions VALUES(4,1,'2026-01-04','selftest','c4.txt','4c5c8238b6a4cffe56a1d26a61e483b7ce2c7ace1c19aa065455d7e2816bf7a8','{"kind":"selftest"}','{}','0.1.0',NULL,'2026-11-26T19:46:16Z');
INSERT INTO sessions VALUES(5,1,'2026-01-05','selftest','c5.txt','022d0fc47ced824679e839e3de532425334299d566d5299b26650879c132ddc7','{"kind":"selftest"}','{}','0.1.0',NULL,'2026-11-26T19:46:17Z');
CREATE TABLE measurements ( id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, metric TEXT NOT NULL, value REAL, text TEXT, unit TEXT, detail TEXT, UNIQUE (session_id, metric));
INSERT INTO measurements VALUES(1,1,'grip_distance_mm',2.0,NULL,'mm',NULL);
INSERT INTO measurements VALUES(2,1,'grasp',NULL,'dynamic_tripod',NULL,NULL);
INSERT INTO measurements VALUES(3,1,'legibility_pct',51.0,NULL,'%',NULL);
INSERT INTO measurements VALUES(4,2,'grip_distance_mm',4.0,NULL,'mm',NULL);
INSERT INTO measurements VALUES(5,2,'grasp',NULL,'dynamic_tripod',NULL,NULL);
INSERT INTO measurements VALUES(6,2,'legibility_pct',52.0,NULL,'%',NULL);
INSERT INTO measurements VALUES(7,3,'grip_distance_mm',6.0,NULL,'mm',NULL);
INSERT INTO measurements VALUES(8,3,'grasp',NULL,'dynamic_tripod',NULL,NULL);
INSERT INTO measurements VALUES(9,3,'legibility_pct',53.0,NULL,'%',NULL);
INSERT INTO measurements VALUES(10,4,'grip_distance_mm',8.0,NULL,'mm',NULL);
INSERT INTO measurements VALUES(11,4,'grasp',NULL,'dynamic_tripod',NULL,NULL);
INSERT INTO measurements VALUES(12,4,'legibility_pct',54.0,NULL,'%',NULL);
INSERT INTO measurements VALUES(13,5,'grip_distance_mm',10.0,NULL,'mm',NULL);
INSERT INTO measurements VALUES(14,5,'grasp',NULL,'dynamic_tripod',NULL,NULL);
INSERT INTO measurements VALUES(15,5,'legibility_pct',55.0,NULL,'%',NULL);
CREATE TABLE goals ( id INTEGER PRIMARY KEY, child_id INTEGER NOT NULL REFERENCES children(id) ON DELETE CASCADE, metric TEXT NOT NULL, low REAL NOT NULL, high REAL NOT NULL, due TEXT, gas_m2 REAL, gas_m1 REAL, gas_0 REAL, gas_p1 REAL, gas_p2 REAL, note TEXT, set_on TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d','now')), UNIQUE (child_id, metric));
INSERT INTO goals VALUES(1,1,'grip_distance_mm',15.0,25.0,NULL,2.0,5.0,15.0,20.0,25.0,NULL,'2026-11-26');
CREATE TABLE attachments ( id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, name TEXT NOT NULL, mime TEXT NOT NULL, data BLOB NOT NULL);
CREATE INDEX measurements_metric ON measurements(metric);
