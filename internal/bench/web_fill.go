package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/store"
)

// The web benchmark's big data set is made from the demo petitions, which
// the demo loader drove through the real lifecycle: fillCopies copies each
// one, with its petitioner, matter, assignments, deadlines, events and
// follow-ups, under new ids until the database holds the number of
// petitions asked for. The copies keep the demo's mix of states, units,
// districts, channels, deadlines and events, and every invariant the
// lifecycle keeps between those rows. Copies of the demo year keep its
// dates; older years (the demo's finished cases only: declined, replied,
// reviewed, closed) are shifted back by whole 52-week years so weekdays
// stay weekdays. What they lack: audit entries (the copies were never
// audited), repeat signatures, and dates inside events' JSON data are not
// shifted.

// fillPerYear is how many petitions a year the copies assume: about what
// a city of Huludao's size receives through 12345 and the petition bureau.
var fillPerYear = 350_000

// fillKind says how a column is copied.
type fillKind int

const (
	fillKeep     fillKind = iota // as is
	fillID                       // the row's own id: + the table's offset
	fillRef                      // an id of another copied table: + that table's offset
	fillTime                     // a timestamp: shifted
	fillDate                     // a date: shifted
	fillExternal                 // a unique text: suffixed with the copy number
	fillTracking                 // the tracking code: made from the new id
)

type fillCol struct {
	name string
	kind fillKind
	ref  string // fillRef: the table referred to
}

type fillTable struct {
	name string
	cols []fillCol
}

// fillTables are copied parents first.
var fillTables = []fillTable{
	{"petitioners", []fillCol{{"id", fillID, ""}, {"kind", fillKeep, ""}, {"name", fillKeep, ""}, {"id_number", fillKeep, ""},
		{"phone", fillKeep, ""}, {"address", fillKeep, ""}, {"district_code", fillKeep, ""}, {"group_size", fillKeep, ""}, {"created_at", fillTime, ""}}},
	{"matters", []fillCol{{"id", fillID, ""}, {"title", fillKeep, ""}, {"final_at", fillTime, ""}, {"created_at", fillTime, ""}}},
	{"petitions", []fillCol{{"id", fillID, ""}, {"external_id", fillExternal, ""}, {"tracking_code", fillTracking, ""},
		{"received_at", fillTime, ""}, {"received_on", fillDate, ""}, {"channel", fillKeep, ""},
		{"petitioner_id", fillRef, "petitioners"}, {"matter_id", fillRef, "matters"}, {"district_code", fillKeep, ""},
		{"address", fillKeep, ""}, {"title", fillKeep, ""}, {"content", fillKeep, ""}, {"state", fillKeep, ""},
		{"accusation", fillKeep, ""}, {"accused_unit_id", fillKeep, ""}, {"unit_id", fillKeep, ""},
		{"decline_reason", fillKeep, ""}, {"reply_outcome", fillKeep, ""}, {"reply_text", fillKeep, ""}, {"replied_at", fillTime, ""},
		{"review_outcome", fillKeep, ""}, {"review_text", fillKeep, ""}, {"closed_at", fillTime, ""},
		{"created_at", fillTime, ""}, {"updated_at", fillTime, ""}, {"version", fillKeep, ""}}},
	{"assignments", []fillCol{{"id", fillID, ""}, {"petition_id", fillRef, "petitions"}, {"unit_id", fillKeep, ""},
		{"mode", fillKeep, ""}, {"state", fillKeep, ""}, {"assigned_at", fillTime, ""}, {"assigned_by", fillKeep, ""},
		{"due_on", fillDate, ""}, {"signed_at", fillTime, ""}, {"returned_at", fillTime, ""}, {"return_reason", fillKeep, ""},
		{"extension_state", fillKeep, ""}, {"extension_days", fillKeep, ""}, {"extension_reason", fillKeep, ""}}},
	{"deadlines", []fillCol{{"id", fillID, ""}, {"petition_id", fillRef, "petitions"}, {"kind", fillKeep, ""},
		{"started_on", fillDate, ""}, {"due_on", fillDate, ""}, {"rule_count", fillKeep, ""}, {"rule_unit", fillKeep, ""},
		{"calendar_revision", fillKeep, ""}, {"obligation", fillKeep, ""}, {"met_at", fillTime, ""}, {"computed_at", fillTime, ""}}},
	{"events", []fillCol{{"id", fillID, ""}, {"petition_id", fillRef, "petitions"}, {"at", fillTime, ""}, {"actor_id", fillKeep, ""},
		{"action", fillKeep, ""}, {"from_state", fillKeep, ""}, {"to_state", fillKeep, ""}, {"note", fillKeep, ""}, {"data", fillKeep, ""}}},
	{"follow_ups", []fillCol{{"id", fillID, ""}, {"petition_id", fillRef, "petitions"}, {"result", fillKeep, ""},
		{"note", fillKeep, ""}, {"by_user", fillKeep, ""}, {"at", fillTime, ""}}},
}

// fillTemplate is one demo petition with the rows that hang off it.
type fillTemplate struct {
	finished bool
	rows     map[string][][]any // table → rows (petitioners and matters: the one it refers to)
}

// fillCopies copies the demo petitions until the database holds total
// petitions. It returns how many rows it wrote in all tables.
func fillCopies(ctx context.Context, st *store.Store, total int, progress func(done int)) (int, error) {
	tpls, maxID, err := readTemplates(ctx, st)
	if err != nil {
		return 0, err
	}
	if len(tpls) == 0 || total <= len(tpls) {
		return 0, nil
	}
	var finished []*fillTemplate
	for _, t := range tpls {
		if t.finished {
			finished = append(finished, t)
		}
	}
	// The demo is one year; the older years' cases are all finished by now.
	years := max(1, (total+fillPerYear-1)/fillPerYear)
	perYear := (total + years - 1) / years
	bl, err := newBulkLoader(ctx, st)
	if err != nil {
		return 0, err
	}
	defer bl.close(context.Background())
	made := len(tpls)
	// Older years first, so that ids grow with time as they do in service.
	plan := []struct {
		shiftDays int
		from      []*fillTemplate
		n         int
	}{}
	left := total - len(tpls)
	for y := years - 1; y >= 0 && left > 0; y-- {
		n := min(left, perYear)
		from := finished
		if y == 0 {
			n, from = left, tpls
		}
		if len(from) == 0 {
			from = tpls
		}
		plan = append(plan, struct {
			shiftDays int
			from      []*fillTemplate
			n         int
		}{y * 364, from, n})
		left -= n
	}
	copyNo := 0
	for _, p := range plan {
		for done := 0; done < p.n; {
			copyNo++
			off := map[string]int64{}
			for _, t := range fillTables {
				off[t.name] = int64(copyNo) * maxID[t.name]
			}
			// Petitions of one person or one matter share those rows.
			seen := map[string]map[int64]bool{"petitioners": {}, "matters": {}}
			for _, tpl := range p.from {
				if done == p.n {
					break
				}
				for _, t := range fillTables {
					for _, src := range tpl.rows[t.name] {
						if ids := seen[t.name]; ids != nil {
							if ids[src[0].(int64)] {
								continue
							}
							ids[src[0].(int64)] = true
						}
						bl.add(t.name, fillColNames(t), fillRow(t, src, off, copyNo, p.shiftDays)...)
					}
				}
				done++
				made++
				if made%20_000 == 0 {
					if err := bl.flush(ctx); err != nil {
						return bl.Rows, err
					}
					if progress != nil {
						progress(made)
					}
				}
			}
		}
	}
	if err := bl.flush(ctx); err != nil {
		return bl.Rows, err
	}
	if progress != nil {
		progress(made)
	}
	return bl.Rows, bl.close(ctx)
}

func fillColNames(t fillTable) []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.name
	}
	return out
}

// fillRow is src copied as copy copyNo, shifted back by shiftDays.
func fillRow(t fillTable, src []any, off map[string]int64, copyNo, shiftDays int) []any {
	row := make([]any, len(src))
	for i, c := range t.cols {
		v := src[i]
		switch c.kind {
		case fillID:
			v = v.(int64) + off[t.name]
		case fillRef:
			v = v.(int64) + off[c.ref]
		case fillTime:
			if tm, ok := v.(time.Time); ok {
				v = tm.AddDate(0, 0, -shiftDays)
			}
		case fillDate:
			if d, ok := v.(calendar.Date); ok && !d.IsZero() {
				v = d.AddDays(-shiftDays)
			}
		case fillExternal:
			if s, ok := v.(string); ok && s != "" {
				v = fmt.Sprintf("%s-c%d", s, copyNo)
			}
		case fillTracking:
			v = benchTrackingCode(src[0].(int64) + off[t.name])
		}
		row[i] = v
	}
	return row
}

// benchTrackingCode is a unique tracking code made from an id, in the
// alphabet of lifecycle.NewTrackingCode.
func benchTrackingCode(id int64) string {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	b := []byte("XF2222222222")
	for i := len(b) - 1; i >= 2 && id > 0; i-- {
		b[i] = alphabet[id%32]
		id /= 32
	}
	return string(b)
}

// readTemplates reads every petition with its rows, and each table's largest id.
func readTemplates(ctx context.Context, st *store.Store) ([]*fillTemplate, map[string]int64, error) {
	byTable := map[string]map[int64][]any{} // petitioners and matters by id
	byPetition := map[string]map[int64][][]any{}
	maxID := map[string]int64{}
	db := st.DB()
	for _, t := range fillTables {
		names := fillColNames(t)
		rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(names, ", ")+" FROM "+t.name+" ORDER BY id")
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		byTable[t.name] = map[int64][]any{}
		byPetition[t.name] = map[int64][][]any{}
		for rows.Next() {
			vals, err := scanFill(rows, t)
			if err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("read %s: %w", t.name, err)
			}
			id := vals[0].(int64)
			maxID[t.name] = max(maxID[t.name], id)
			byTable[t.name][id] = vals
			if names[1] == "petition_id" {
				pid := vals[1].(int64)
				byPetition[t.name][pid] = append(byPetition[t.name][pid], vals)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", t.name, err)
		}
	}
	var out []*fillTemplate
	pt := fillTables[2]
	for id := int64(1); id <= maxID["petitions"]; id++ {
		p, ok := byTable["petitions"][id]
		if !ok {
			continue
		}
		tpl := &fillTemplate{rows: map[string][][]any{"petitions": {p}}}
		for i, c := range pt.cols {
			switch c.name {
			case "petitioner_id", "matter_id":
				if r, ok := byTable[c.ref][p[i].(int64)]; ok {
					tpl.rows[c.ref] = [][]any{r}
				}
			case "state":
				switch p[i].(string) {
				case "declined", "replied", "reviewed", "closed":
					tpl.finished = true
				}
			}
		}
		for _, t := range fillTables[3:] {
			tpl.rows[t.name] = byPetition[t.name][id]
		}
		out = append(out, tpl)
	}
	return out, maxID, nil
}

// scanFill reads one row into Go values the bulk loader can write back on
// the same engine.
func scanFill(rows *sql.Rows, t fillTable) ([]any, error) {
	dst := make([]any, len(t.cols))
	ids := make([]sql.NullInt64, len(t.cols))
	times := make([]sql.NullTime, len(t.cols))
	dates := make([]calendar.Date, len(t.cols))
	keep := make([]any, len(t.cols))
	strs := make([]sql.NullString, len(t.cols))
	for i, c := range t.cols {
		switch c.kind {
		case fillID, fillRef:
			dst[i] = &ids[i]
		case fillTime:
			dst[i] = &times[i]
		case fillDate:
			dst[i] = &dates[i]
		case fillExternal, fillTracking:
			dst[i] = &strs[i]
		default:
			dst[i] = &keep[i]
		}
	}
	if err := rows.Scan(dst...); err != nil {
		return nil, err
	}
	out := make([]any, len(t.cols))
	for i, c := range t.cols {
		switch c.kind {
		case fillID, fillRef:
			out[i] = ids[i].Int64
		case fillTime:
			if times[i].Valid {
				out[i] = times[i].Time.UTC()
			}
		case fillDate:
			out[i] = dates[i]
		case fillExternal, fillTracking:
			if strs[i].Valid {
				out[i] = strs[i].String
			}
		default:
			if b, ok := keep[i].([]byte); ok {
				keep[i] = string(b)
			}
			out[i] = keep[i]
		}
	}
	return out, nil
}
