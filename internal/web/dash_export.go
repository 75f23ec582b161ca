package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"github.com/xuri/excelize/v2"

	"redress/internal/stats"
	"redress/internal/store"
)

// dashExport answers GET /dashboard.xlsx: the dashboard's figures for the
// same period and backlog rule, and the same scope, as an Excel workbook
// with a sheet per table (the summary, day by day, units, districts and
// the resolution rates). All units and districts are listed, not only the
// ten the charts show. The export is audited.
func (w *Web) dashExport(rw http.ResponseWriter, r *http.Request, s *session) {
	p, ok := w.dashPrepare(rw, r, s)
	if !ok {
		return
	}
	actor := store.Actor{ID: s.user.ID, Login: s.user.Login}
	if err := w.st.Write(r.Context(), func(tx *store.Tx) error {
		return tx.Audit(actor, "dashboard.export", "dashboard", p.From+"/"+p.To, nil, map[string]any{"format": "xlsx", "backlog": p.Rates.Backlog})
	}); err != nil {
		w.fail(rw, r, s, err)
		return
	}
	book, err := w.dashBook(s, p)
	if err != nil {
		w.fail(rw, r, s, fmt.Errorf("dashboard workbook: %w", err))
		return
	}
	defer book.Close()
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		w.fail(rw, r, s, fmt.Errorf("dashboard workbook: %w", err))
		return
	}
	inspSend(rw, inspXLSXType, "dashboard-"+p.From+"-"+p.To+".xlsx", buf.Bytes())
}

// ExportURL is the workbook of the figures shown: the same period and
// backlog rule.
func (p dashPage) ExportURL() string {
	q := url.Values{"from": {p.From}, "to": {p.To}}
	for k, v := range map[string]string{"open_days": p.Backlog.OpenDays, "min_petitions": p.Backlog.MinPetitions, "reopened": p.Backlog.Reopened} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return "/dashboard.xlsx?" + q.Encode()
}

// dashBook lays the page's figures out as sheets, in the user's language.
func (w *Web) dashBook(s *session, p dashPage) (*excelize.File, error) {
	T := func(key string, args ...any) string { return w.cat.T(s.locale, key, args...) }
	rate := func(r stats.Rate) []any { return []any{r.Percent(), r.Hits, r.Total} }
	d := p.D
	type sheet struct {
		name string
		rows [][]any
	}
	sheets := []sheet{{name: T("title.dashboard"), rows: [][]any{
		{T("dash.from"), p.From},
		{T("dash.to"), p.To},
		{T("dash.received"), d.Total},
		{T("dash.open_now"), d.Open},
		{T("dash.overdue_now"), d.Overdue},
		append([]any{T("dash.on_time")}, rate(d.OnTime)...),
		append([]any{T("dash.resolution")}, rate(d.Resolution)...),
		{T("dash.as_of", "at", dateTime(p.At))},
	}}}

	days := [][]any{{T("dash.day"), T("dash.count")}}
	for _, x := range d.Received {
		days = append(days, []any{x.Day.String(), x.Count})
	}
	sheets = append(sheets, sheet{T("dash.by_day"), days})

	units := [][]any{{T("dash.col.unit"), T("dash.open"), T("dash.overdue"), T("dash.on_time"), "", "", T("dash.resolution")}}
	for _, u := range d.Units {
		row := append([]any{u.UnitName, u.Open, u.Overdue}, rate(u.OnTime)...)
		units = append(units, append(row, rate(u.Resolution)...))
	}
	sheets = append(sheets, sheet{T("dash.col.unit"), units})

	districts := [][]any{{T("dash.col.district"), T("dash.on_time"), "", "", T("dash.resolution")}}
	for _, x := range d.Districts {
		row := append([]any{x.Name}, rate(x.OnTime)...)
		districts = append(districts, append(row, rate(x.Resolution)...))
	}
	sheets = append(sheets, sheet{T("dash.col.district"), districts})

	// 化解率 by category: overall, then per district and per unit.
	res := [][]any{{T("dash.col.figure")}}
	for _, c := range p.Overall {
		res[0] = append(res[0], T("dash.cat."+c.Category))
	}
	overall := []any{T("dash.resolution")}
	for _, c := range p.Overall {
		overall = append(overall, c.Rate.Percent())
	}
	res = append(res, overall)
	for _, tbl := range p.ResTables {
		head := []any{T(tbl.Head)}
		for _, cat := range dashCategories {
			head = append(head, T("dash.cat."+cat))
		}
		res = append(res, nil, head)
		for _, row := range tbl.Rows {
			line := []any{row.Name}
			for _, r := range row.Rates {
				line = append(line, r.Percent())
			}
			res = append(res, line)
		}
	}
	sheets = append(sheets, sheet{T("dash.resolution"), res})

	book := excelize.NewFile()
	for i, sh := range sheets {
		if i == 0 {
			if err := book.SetSheetName(book.GetSheetName(0), sh.name); err != nil {
				book.Close()
				return nil, err
			}
		} else if _, err := book.NewSheet(sh.name); err != nil {
			book.Close()
			return nil, err
		}
		for j, row := range sh.rows {
			if row == nil {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, j+1)
			if err := book.SetSheetRow(sh.name, cell, &row); err != nil {
				book.Close()
				return nil, fmt.Errorf("sheet %s row %d: %w", sh.name, j+1, err)
			}
		}
		_ = book.SetColWidth(sh.name, "A", "A", 28)
	}
	return book, nil
}
