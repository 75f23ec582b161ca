-- +goose Up
-- Leaders meeting petitioners: 接访 (reception), 下访 (field visit), 约访 (appointment).
CREATE TABLE receptions (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('reception','visit','appointment')),
    unit_id      INTEGER NOT NULL REFERENCES units(id),
    leader_name  TEXT NOT NULL,
    leader_title TEXT NOT NULL DEFAULT '',
    is_head      BOOLEAN NOT NULL DEFAULT 0,
    held_on      TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    promised     TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    created_by   INTEGER NOT NULL REFERENCES users(id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX receptions_unit ON receptions(unit_id, held_on);
CREATE TABLE reception_petitioners (
    reception_id  INTEGER NOT NULL REFERENCES receptions(id),
    petitioner_id INTEGER NOT NULL REFERENCES petitioners(id),
    PRIMARY KEY (reception_id, petitioner_id)
);
CREATE INDEX reception_petitioners_petitioner ON reception_petitioners(petitioner_id);
CREATE TABLE reception_petitions (
    reception_id INTEGER NOT NULL REFERENCES receptions(id),
    petition_id  INTEGER NOT NULL REFERENCES petitions(id),
    PRIMARY KEY (reception_id, petition_id)
);
CREATE INDEX reception_petitions_petition ON reception_petitions(petition_id);

-- Study meetings (研究会议) on cases, and their decisions.
CREATE TABLE study_meetings (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES units(id),
    held_on     TEXT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    chair       TEXT NOT NULL DEFAULT '',
    attendees   TEXT NOT NULL DEFAULT '[]',
    created_by  INTEGER NOT NULL REFERENCES users(id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX study_meetings_unit ON study_meetings(unit_id, held_on);
CREATE TABLE meeting_cases (
    meeting_id  INTEGER NOT NULL REFERENCES study_meetings(id),
    petition_id INTEGER NOT NULL REFERENCES petitions(id),
    PRIMARY KEY (meeting_id, petition_id)
);
CREATE INDEX meeting_cases_petition ON meeting_cases(petition_id);
CREATE TABLE meeting_decisions (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES study_meetings(id),
    petition_id    INTEGER REFERENCES petitions(id),
    text           TEXT NOT NULL,
    assignment_id  INTEGER REFERENCES assignments(id),
    created_at     TIMESTAMP NOT NULL
);

-- Inspections (巡察) of a unit over a period, and the rectification items (整改) they require.
CREATE TABLE inspections (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    period_from   TEXT NOT NULL,
    period_to     TEXT NOT NULL,
    backlog_days  INTEGER NOT NULL,
    opened_by     INTEGER NOT NULL REFERENCES users(id),
    opened_at     TIMESTAMP NOT NULL
);
CREATE TABLE rectifications (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES inspections(id),
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    petition_id    INTEGER REFERENCES petitions(id),
    finding        TEXT NOT NULL,
    owner_name     TEXT NOT NULL,
    due_on         TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','done')),
    done_at        TIMESTAMP,
    done_note      TEXT NOT NULL DEFAULT '',
    created_by     INTEGER NOT NULL REFERENCES users(id),
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX rectifications_open ON rectifications(due_on, id) WHERE state = 'open';
CREATE INDEX rectifications_inspection ON rectifications(inspection_id);

-- Follow-up calls (回访) after a reply.
CREATE TABLE follow_ups (
    id           INTEGER PRIMARY KEY,
    petition_id  INTEGER NOT NULL REFERENCES petitions(id),
    result       TEXT NOT NULL CHECK (result IN ('satisfied','basic','dissatisfied')),
    note         TEXT NOT NULL DEFAULT '',
    by_user      INTEGER NOT NULL REFERENCES users(id),
    at           TIMESTAMP NOT NULL
);
CREATE INDEX follow_ups_petition ON follow_ups(petition_id, id);

-- +goose Down
DROP TABLE follow_ups;
DROP TABLE rectifications;
DROP TABLE inspections;
DROP TABLE meeting_decisions;
DROP TABLE meeting_cases;
DROP TABLE study_meetings;
DROP TABLE reception_petitions;
DROP TABLE reception_petitioners;
DROP TABLE receptions;
