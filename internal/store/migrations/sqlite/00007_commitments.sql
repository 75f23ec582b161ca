-- +goose Up
-- Leaders' yearly commitments: crack 1–2 hard problems (硬骨头), produce 1–2 reform results.
CREATE TABLE commitments (
    id           INTEGER PRIMARY KEY,
    year         INTEGER NOT NULL,
    leader_name  TEXT NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    kind         TEXT NOT NULL CHECK (kind IN ('hard_problem','reform')),
    title        TEXT NOT NULL,
    target       TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','achieved','missed')),
    review       TEXT NOT NULL DEFAULT '',
    reviewed_at  TIMESTAMP,
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX commitments_year ON commitments(year, unit_id);
CREATE TABLE commitment_progress (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES commitments(id),
    note           TEXT NOT NULL,
    by_user        INTEGER NOT NULL REFERENCES users(id),
    at             TIMESTAMP NOT NULL
);
CREATE INDEX commitment_progress_commitment ON commitment_progress(commitment_id, id);

-- Checklists owned by a joint meeting (联席会议): items, responsible units, due dates.
CREATE TABLE checklists (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    meeting     TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE TABLE checklist_items (
    id            INTEGER PRIMARY KEY,
    checklist_id  INTEGER NOT NULL REFERENCES checklists(id),
    title         TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    due_on        TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','done')),
    done_at       TIMESTAMP,
    done_note     TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX checklist_items_open ON checklist_items(due_on, id) WHERE state = 'open';
CREATE INDEX checklist_items_checklist ON checklist_items(checklist_id, id);

-- +goose Down
DROP TABLE checklist_items;
DROP TABLE checklists;
DROP TABLE commitment_progress;
DROP TABLE commitments;
