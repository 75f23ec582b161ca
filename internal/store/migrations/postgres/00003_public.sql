-- +goose Up
-- Public intake: Open311 GeoReport v2 keys and requests, and the petitioners'
-- portal (attachments, satisfaction ratings).
CREATE TABLE open311_keys (
    id          BIGSERIAL PRIMARY KEY,
    key_hash    TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  BIGINT REFERENCES users(id),
    revoked_at  TIMESTAMPTZ
);

-- One row per petition filed through Open311: what the standard needs that
-- a petition does not hold. email, device_id and account_id are personal
-- data and are never shown by a public read.
CREATE TABLE open311_requests (
    petition_id    BIGINT PRIMARY KEY REFERENCES petitions(id),
    token          TEXT NOT NULL UNIQUE,
    service_code   TEXT NOT NULL,
    key_id         BIGINT NOT NULL REFERENCES open311_keys(id),
    lat            DOUBLE PRECISION,
    long           DOUBLE PRECISION,
    address_string TEXT NOT NULL DEFAULT '',
    address_id     TEXT NOT NULL DEFAULT '',
    media_url      TEXT NOT NULL DEFAULT '',
    attributes     TEXT NOT NULL DEFAULT '{}',
    email          TEXT NOT NULL DEFAULT '',
    device_id      TEXT NOT NULL DEFAULT '',
    account_id     TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX open311_requests_service ON open311_requests(service_code, petition_id);

CREATE TABLE portal_attachments (
    id            BIGSERIAL PRIMARY KEY,
    petition_id   BIGINT NOT NULL REFERENCES petitions(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX portal_attachments_petition ON portal_attachments(petition_id);

CREATE TABLE portal_ratings (
    petition_id  BIGINT PRIMARY KEY REFERENCES petitions(id),
    rating       TEXT NOT NULL CHECK (rating IN ('satisfied','basically_satisfied','unsatisfied')),
    rated_at     TIMESTAMPTZ NOT NULL
);

-- The phone number a petitioner gave with a portal submission. The core
-- keeps one petitioner per ID number, with the phone of their first
-- petition; this is the number the petitioner proves the case with.
CREATE TABLE portal_contacts (
    petition_id  BIGINT PRIMARY KEY REFERENCES petitions(id),
    phone        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX portal_contacts_phone ON portal_contacts(phone);

-- +goose Down
DROP TABLE portal_contacts;
DROP TABLE portal_ratings;
DROP TABLE portal_attachments;
DROP TABLE open311_requests;
DROP TABLE open311_keys;
