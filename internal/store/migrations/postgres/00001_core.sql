-- +goose Up
CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    parent_id   BIGINT REFERENCES units(id),
    kind        TEXT NOT NULL CHECK (kind IN ('city','district','department','township')),
    head_name   TEXT NOT NULL DEFAULT '',
    head_title  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('bureau','handler','head','leader','inspector','admin')),
    unit_id        BIGINT NOT NULL REFERENCES units(id),
    password_hash  TEXT NOT NULL DEFAULT '',
    locale         TEXT NOT NULL DEFAULT 'zh-CN',
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ
);

CREATE TABLE petitioners (
    id            BIGSERIAL PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('person','group')),
    name          TEXT NOT NULL,
    id_number     TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    district_code TEXT NOT NULL DEFAULT '',
    group_size    INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX petitioners_id_number ON petitioners(id_number) WHERE id_number <> '';
CREATE INDEX petitioners_phone ON petitioners(phone) WHERE phone <> '';

CREATE TABLE matters (
    id          BIGSERIAL PRIMARY KEY,
    title       TEXT NOT NULL,
    final_at    TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE petitions (
    id              BIGSERIAL PRIMARY KEY,
    external_id     TEXT UNIQUE,
    tracking_code   TEXT NOT NULL UNIQUE,
    received_at     TIMESTAMPTZ NOT NULL,
    received_on     DATE NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('letter','visit','online','hotline','mailbox')),
    petitioner_id   BIGINT NOT NULL REFERENCES petitioners(id),
    matter_id       BIGINT NOT NULL REFERENCES matters(id),
    district_code   TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    content         TEXT NOT NULL,
    state           TEXT NOT NULL,
    accusation      BOOLEAN NOT NULL DEFAULT FALSE,
    accused_unit_id BIGINT REFERENCES units(id),
    unit_id         BIGINT REFERENCES units(id),
    decline_reason  TEXT NOT NULL DEFAULT '',
    reply_outcome   TEXT NOT NULL DEFAULT '',
    reply_text      TEXT NOT NULL DEFAULT '',
    replied_at      TIMESTAMPTZ,
    review_outcome  TEXT NOT NULL DEFAULT '',
    review_text     TEXT NOT NULL DEFAULT '',
    closed_at       TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX petitions_state ON petitions(state, id);
CREATE INDEX petitions_unit ON petitions(unit_id, id);
CREATE INDEX petitions_received ON petitions(received_on);
CREATE INDEX petitions_petitioner ON petitions(petitioner_id);
CREATE INDEX petitions_matter ON petitions(matter_id);

CREATE TABLE assignments (
    id                 BIGSERIAL PRIMARY KEY,
    petition_id        BIGINT NOT NULL REFERENCES petitions(id),
    unit_id            BIGINT NOT NULL REFERENCES units(id),
    mode               TEXT NOT NULL CHECK (mode IN ('assign','forward')),
    state              TEXT NOT NULL CHECK (state IN ('pending','signed','returned','replied')),
    assigned_at        TIMESTAMPTZ NOT NULL,
    assigned_by        BIGINT NOT NULL REFERENCES users(id),
    due_on             DATE,
    signed_at          TIMESTAMPTZ,
    returned_at        TIMESTAMPTZ,
    return_reason      TEXT NOT NULL DEFAULT '',
    extension_state    TEXT NOT NULL DEFAULT '' CHECK (extension_state IN ('','requested','approved','rejected')),
    extension_days     INTEGER NOT NULL DEFAULT 0,
    extension_reason   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assignments_petition ON assignments(petition_id);
CREATE INDEX assignments_unit ON assignments(unit_id, petition_id);

CREATE TABLE deadlines (
    id                BIGSERIAL PRIMARY KEY,
    petition_id       BIGINT NOT NULL REFERENCES petitions(id),
    kind              TEXT NOT NULL,
    started_on        DATE NOT NULL,
    due_on            DATE NOT NULL,
    rule_count        INTEGER NOT NULL,
    rule_unit         TEXT NOT NULL,
    calendar_revision BIGINT NOT NULL,
    obligation        BOOLEAN NOT NULL,
    met_at            TIMESTAMPTZ,
    computed_at       TIMESTAMPTZ NOT NULL,
    UNIQUE (petition_id, kind)
);
CREATE INDEX deadlines_open ON deadlines(due_on, petition_id) WHERE met_at IS NULL AND obligation;

CREATE TABLE events (
    id           BIGSERIAL PRIMARY KEY,
    petition_id  BIGINT NOT NULL REFERENCES petitions(id),
    at           TIMESTAMPTZ NOT NULL,
    actor_id     BIGINT REFERENCES users(id),
    action       TEXT NOT NULL,
    from_state   TEXT NOT NULL DEFAULT '',
    to_state     TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    data         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_petition ON events(petition_id, id);

CREATE TABLE time_limits (
    kind        TEXT PRIMARY KEY,
    count       INTEGER NOT NULL,
    unit        TEXT NOT NULL CHECK (unit IN ('calendar','working')),
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  BIGINT REFERENCES users(id)
);

CREATE TABLE calendar_revisions (
    id          BIGSERIAL PRIMARY KEY,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  BIGINT REFERENCES users(id)
);

CREATE TABLE calendar_days (
    revision_id BIGINT NOT NULL REFERENCES calendar_revisions(id),
    day         DATE NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('off','work')),
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (revision_id, day)
);

CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    actor_id     BIGINT,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    before_json  TEXT NOT NULL,
    after_json   TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE calendar_days;
DROP TABLE calendar_revisions;
DROP TABLE time_limits;
DROP TABLE events;
DROP TABLE deadlines;
DROP TABLE assignments;
DROP TABLE petitions;
DROP TABLE matters;
DROP TABLE petitioners;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE units;
