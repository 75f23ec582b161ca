-- +goose Up
-- Repeat petitions (重复信访): each petition's signature for the in-memory
-- index (rebuilt from this table on start), and the candidates the index
-- found at registration, with the registrar's decision.
CREATE TABLE repeat_signatures (
    petition_id  INTEGER PRIMARY KEY REFERENCES petitions(id),
    signature    BLOB NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

CREATE TABLE repeat_candidates (
    id           INTEGER PRIMARY KEY,
    petition_id  INTEGER NOT NULL REFERENCES petitions(id),
    earlier_id   INTEGER NOT NULL REFERENCES petitions(id),
    score        REAL NOT NULL,
    reasons      TEXT NOT NULL DEFAULT '[]',
    decision     TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending','confirmed','rejected')),
    new_facts    BOOLEAN NOT NULL DEFAULT 0,
    note         TEXT NOT NULL DEFAULT '',
    decided_by   INTEGER REFERENCES users(id),
    decided_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (petition_id, earlier_id)
);
CREATE INDEX repeat_candidates_decision ON repeat_candidates(decision, id);
CREATE INDEX repeat_candidates_earlier ON repeat_candidates(earlier_id);

-- Hard problems (老大难) gather matters under a lead leader (包案/领办).
CREATE TABLE problems (
    id            INTEGER PRIMARY KEY,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    lead_user_id  INTEGER NOT NULL REFERENCES users(id),
    plan          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','resolved')),
    created_by    INTEGER REFERENCES users(id),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    resolved_at   TIMESTAMP
);
CREATE TABLE problem_units (
    problem_id  INTEGER NOT NULL REFERENCES problems(id),
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    PRIMARY KEY (problem_id, unit_id)
);
CREATE TABLE problem_milestones (
    id          INTEGER PRIMARY KEY,
    problem_id  INTEGER NOT NULL REFERENCES problems(id),
    title       TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    done_at     TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX problem_milestones_problem ON problem_milestones(problem_id, id);
CREATE TABLE problem_notes (
    id          INTEGER PRIMARY KEY,
    problem_id  INTEGER NOT NULL REFERENCES problems(id),
    user_id     INTEGER REFERENCES users(id),
    text        TEXT NOT NULL,
    at          TIMESTAMP NOT NULL
);
CREATE INDEX problem_notes_problem ON problem_notes(problem_id, id);

ALTER TABLE matters ADD COLUMN merged_into INTEGER REFERENCES matters(id);
ALTER TABLE matters ADD COLUMN problem_id INTEGER REFERENCES problems(id);
CREATE INDEX matters_problem ON matters(problem_id) WHERE problem_id IS NOT NULL;

-- Resolution templates by precedent (容缺受理 at scale).
CREATE TABLE resolution_templates (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    source_petition_id  INTEGER REFERENCES petitions(id),
    outcome             TEXT NOT NULL CHECK (outcome IN ('support','explain','reject')),
    text                TEXT NOT NULL,
    created_by          INTEGER REFERENCES users(id),
    created_at          TIMESTAMP NOT NULL
);
CREATE TABLE template_items (
    id           INTEGER PRIMARY KEY,
    template_id  INTEGER NOT NULL REFERENCES resolution_templates(id),
    name         TEXT NOT NULL,
    due_days     INTEGER NOT NULL CHECK (due_days > 0)
);
CREATE INDEX template_items_template ON template_items(template_id, id);
-- One 容缺 item owed by one case: supplied, or terminated by the sweep.
CREATE TABLE deficiency_items (
    id             INTEGER PRIMARY KEY,
    petition_id    INTEGER NOT NULL REFERENCES petitions(id),
    template_id    INTEGER REFERENCES resolution_templates(id),
    unit_id        INTEGER REFERENCES units(id),
    name           TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    supplied_at    TIMESTAMP,
    terminated_at  TIMESTAMP,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX deficiency_items_open ON deficiency_items(due_on, id) WHERE supplied_at IS NULL AND terminated_at IS NULL;
CREATE INDEX deficiency_items_petition ON deficiency_items(petition_id);

-- +goose Down
DROP TABLE deficiency_items;
DROP TABLE template_items;
DROP TABLE resolution_templates;
DROP INDEX matters_problem;
ALTER TABLE matters DROP COLUMN problem_id;
ALTER TABLE matters DROP COLUMN merged_into;
DROP TABLE problem_notes;
DROP TABLE problem_milestones;
DROP TABLE problem_units;
DROP TABLE problems;
DROP TABLE repeat_candidates;
DROP TABLE repeat_signatures;
