-- +goose Up
-- A user's email address: escalation steps addressed to the user (reminders,
-- supervision notices to a unit head) are emailed there when SMTP is set up.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE users DROP COLUMN email;
