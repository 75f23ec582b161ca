-- +goose Up
-- Batch imports started in the browser (/imports): the job's phase, counts
-- and first invalid rows, so its page and the registrar's list of imports
-- survive a restart and can be read from every server process. A running
-- job records a heartbeat with its progress; one whose heartbeat stopped
-- (its process ended) reads as interrupted. Its batch was one transaction,
-- so nothing of it was stored.
CREATE TABLE import_jobs (
    id            TEXT PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES users(id),
    file          TEXT NOT NULL,
    skip_invalid  BOOLEAN NOT NULL,
    phase         TEXT NOT NULL CHECK (phase IN ('checking','storing','done','refused','failed')),
    done          INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL DEFAULT 0,
    rows_read     INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL DEFAULT 0,
    existing      INTEGER NOT NULL DEFAULT 0,
    reject_count  INTEGER NOT NULL DEFAULT 0,
    rejects       TEXT NOT NULL DEFAULT '[]',
    message       TEXT NOT NULL DEFAULT '',
    started_at    TIMESTAMP NOT NULL,
    heartbeat_at  TIMESTAMP NOT NULL,
    finished_at   TIMESTAMP
);
CREATE INDEX import_jobs_owner ON import_jobs(owner_id, started_at);

-- +goose Down
DROP TABLE import_jobs;
