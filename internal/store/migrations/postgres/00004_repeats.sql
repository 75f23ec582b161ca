-- +goose Up
-- Repeat petitions (重复信访): each petition's signature for the in-memory
-- index (rebuilt from this table on start), and the candidates the index
-- found at registration, with the registrar's decision.
CREATE TABLE repeat_signatures (
    petition_id  BIGINT PRIMARY KEY REFERENCES petitions(id),
    signature    BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE repeat_candidates (
    id           BIGSERIAL PRIMARY KEY,
    petition_id  BIGINT NOT NULL REFERENCES petitions(id),
    earlier_id   BIGINT NOT NULL REFERENCES petitions(id),
    score        DOUBLE PRECISION NOT NULL,
    reasons      TEXT NOT NULL DEFAULT '[]',
    decision     TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending','confirmed','rejected')),
    new_facts    BOOLEAN NOT NULL DEFAULT FALSE,
    note         TEXT NOT NULL DEFAULT '',
    decided_by   BIGINT REFERENCES users(id),
    decided_at   TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (petition_id, earlier_id)
);
CREATE INDEX repeat_candidates_decision ON repeat_candidates(decision, id);
CREATE INDEX repeat_candidates_earlier ON repeat_candidates(earlier_id);

-- Hard problems (老大难) gather matters under a lead leader (包案/领办).
CREATE TABLE problems (
    id BIGSERIAL PRIMARY KEY,
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    lead_user_id  BIGINT NOT NULL REFERENCES users(id),
    plan          TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','in_progress','resolved')),
    created_by    BIGINT REFERENCES users(id),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    resolved_at   TIMESTAMPTZ
);
CREATE TABLE problem_units (
    problem_id  BIGINT NOT NULL REFERENCES problems(id),
    unit_id     BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (problem_id, unit_id)
);
CREATE TABLE problem_milestones (
    id BIGSERIAL PRIMARY KEY,
    problem_id  BIGINT NOT NULL REFERENCES problems(id),
    title       TEXT NOT NULL,
    due_on      DATE NOT NULL,
    done_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX problem_milestones_problem ON problem_milestones(problem_id, id);
CREATE TABLE problem_notes (
    id BIGSERIAL PRIMARY KEY,
    problem_id  BIGINT NOT NULL REFERENCES problems(id),
    user_id     BIGINT REFERENCES users(id),
    text        TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX problem_notes_problem ON problem_notes(problem_id, id);

ALTER TABLE matters ADD COLUMN merged_into BIGINT REFERENCES matters(id);
ALTER TABLE matters ADD COLUMN problem_id BIGINT REFERENCES problems(id);
CREATE INDEX matters_problem ON matters(problem_id) WHERE problem_id IS NOT NULL;

-- Resolution templates by precedent (容缺受理 at scale).
CREATE TABLE resolution_templates (
    id BIGSERIAL PRIMARY KEY,
    name                TEXT NOT NULL,
    source_petition_id  BIGINT REFERENCES petitions(id),
    outcome             TEXT NOT NULL CHECK (outcome IN ('support','explain','reject')),
    text                TEXT NOT NULL,
    created_by          BIGINT REFERENCES users(id),
    created_at          TIMESTAMPTZ NOT NULL
);
CREATE TABLE template_items (
    id           BIGSERIAL PRIMARY KEY,
    template_id  BIGINT NOT NULL REFERENCES resolution_templates(id),
    name         TEXT NOT NULL,
    due_days     INTEGER NOT NULL CHECK (due_days > 0)
);
CREATE INDEX template_items_template ON template_items(template_id, id);
-- One 容缺 item owed by one case: supplied, or terminated by the sweep.
CREATE TABLE deficiency_items (
    id BIGSERIAL PRIMARY KEY,
    petition_id    BIGINT NOT NULL REFERENCES petitions(id),
    template_id    BIGINT REFERENCES resolution_templates(id),
    unit_id        BIGINT REFERENCES units(id),
    name           TEXT NOT NULL,
    due_on         DATE NOT NULL,
    supplied_at    TIMESTAMPTZ,
    terminated_at  TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL
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
