-- +goose Up
-- The day a petition was settled (closed, else replied) in China's time
-- zone, as the month comparison of the dashboard selects it
-- (store.PeriodFigures). Without it that count read every petition: 2.5 s
-- of the dashboard's 5 s at 1,000,000 petitions (redress bench web).
CREATE INDEX petitions_settled ON petitions((((COALESCE(closed_at, replied_at)) AT TIME ZONE 'Asia/Shanghai')::date));

-- +goose Down
DROP INDEX petitions_settled;
