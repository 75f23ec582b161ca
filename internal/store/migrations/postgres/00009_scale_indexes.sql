-- +goose Up
-- Found with redress bench web (1,000,000 petitions) and bench rankings
-- (10,000,000 cases): the on-time figures of the dashboard select
-- deadlines by due date whether met or not, and the monthly rankings
-- select assignments by when they were made.
CREATE INDEX deadlines_due ON deadlines(due_on);
CREATE INDEX assignments_assigned ON assignments(assigned_at);

-- +goose Down
DROP INDEX assignments_assigned;
DROP INDEX deadlines_due;
