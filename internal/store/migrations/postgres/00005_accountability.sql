-- +goose Up
-- The escalation ladder's rules; when the table is empty the defaults in
-- internal/escalation apply.
CREATE TABLE escalation_rules (
    position    INTEGER NOT NULL,
    name        TEXT PRIMARY KEY,
    trig        TEXT NOT NULL CHECK (trig IN ('before_due','due_day','overdue','returns')),
    days        INTEGER NOT NULL DEFAULT 0,
    action      TEXT NOT NULL CHECK (action IN ('reminder','supervision','party_report')),
    recipient   TEXT NOT NULL CHECK (recipient IN ('handlers','head','committee','bureau')),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  BIGINT REFERENCES users(id)
);

-- One row per step fired. UNIQUE makes a second firing impossible: the step
-- and its effects are written in one transaction with ON CONFLICT DO NOTHING.
-- It is also the unit's non-cooperation record.
CREATE TABLE escalation_steps (
    id            BIGSERIAL PRIMARY KEY,
    rule          TEXT NOT NULL,
    subject       TEXT NOT NULL,
    subject_id    BIGINT NOT NULL,
    due_on        DATE NOT NULL,
    petition_id   BIGINT REFERENCES petitions(id),
    unit_id       BIGINT REFERENCES units(id),
    head_name     TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    fired_at      TIMESTAMPTZ NOT NULL,
    fired_on      DATE NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    UNIQUE (rule, subject, subject_id, due_on)
);
CREATE INDEX escalation_steps_unit ON escalation_steps(unit_id, id);
CREATE INDEX escalation_steps_petition ON escalation_steps(petition_id, id);
CREATE INDEX assignments_returned ON assignments(petition_id) WHERE state = 'returned';

-- A unit's written explanation in answer to a supervision notice, and the bureau's decision.
CREATE TABLE escalation_explanations (
    id            BIGSERIAL PRIMARY KEY,
    step_id       BIGINT NOT NULL REFERENCES escalation_steps(id),
    text          TEXT NOT NULL,
    submitted_by  BIGINT NOT NULL REFERENCES users(id),
    submitted_at  TIMESTAMPTZ NOT NULL,
    decision      TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending','accepted','rejected')),
    decided_by    BIGINT REFERENCES users(id),
    decided_at    TIMESTAMPTZ,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX escalation_explanations_step ON escalation_explanations(step_id);

-- Cases listed for 挂牌督办 until solved.
CREATE TABLE supervision_listings (
    petition_id  BIGINT PRIMARY KEY REFERENCES petitions(id),
    step_id      BIGINT NOT NULL REFERENCES escalation_steps(id),
    listed_at    TIMESTAMPTZ NOT NULL,
    cleared_at   TIMESTAMPTZ
);

-- In-app notices to users.
CREATE TABLE user_notices (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    step_id      BIGINT REFERENCES escalation_steps(id),
    petition_id  BIGINT REFERENCES petitions(id),
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    read_at      TIMESTAMPTZ
);
CREATE INDEX user_notices_unread ON user_notices(user_id, id) WHERE read_at IS NULL;

-- Messages to send after commit (webhooks, email), with their delivery state.
CREATE TABLE outbox (
    id               BIGSERIAL PRIMARY KEY,
    channel          TEXT NOT NULL CHECK (channel IN ('webhook','email')),
    target           TEXT NOT NULL,
    subject          TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL,
    step_id          BIGINT REFERENCES escalation_steps(id),
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    claimed_until    TIMESTAMPTZ,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    sent_at          TIMESTAMPTZ
);
CREATE INDEX outbox_pending ON outbox(next_attempt_at, id) WHERE state = 'pending';

-- +goose Down
DROP TABLE outbox;
DROP TABLE user_notices;
DROP TABLE supervision_listings;
DROP TABLE escalation_explanations;
DROP INDEX assignments_returned;
DROP TABLE escalation_steps;
DROP TABLE escalation_rules;
