package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/ranking"
)

// inspRankMonths is how many months the trend chart shows, this one included.
const inspRankMonths = 6

// inspRankFields are the inputs of the rankings form (a GET form).
var inspRankFields = []string{"month", "level", "min_cases", "w_response", "w_resolution", "w_satisfaction", "unit"}

// inspRankPage is one month's ranking of units or districts.
type inspRankPage struct {
	Values   map[string]string
	Errors   map[string]string
	Rk       *ranking.Ranking
	Rows     []inspRankRow
	Unranked []ranking.Entry
	// OwnOnly: a unit head sees only their own unit's line.
	OwnOnly bool
	Own     *inspRankRow
	OwnOut  *ranking.Entry
	Bar     string
	Line    string
	Query   string
}

type inspRankRow struct {
	ranking.Entry
	Change      string
	ChangeClass string
}

// inspRankOptions reads the form into ranking options and the month, or an error about one field.
func (w *Web) inspRankOptions(v map[string]string) (time.Time, ranking.Options, error) {
	o := ranking.Options{Level: v["level"], Weights: ranking.DefaultWeights, Months: inspRankMonths - 1}
	m, err := time.Parse("2006-01", v["month"])
	if err != nil {
		return m, o, failure.Invalid("month", "month %q is not of the form YYYY-MM", v["month"])
	}
	if o.Level != ranking.LevelUnit && o.Level != ranking.LevelDistrict {
		return m, o, failure.Invalid("level", "level %q is not one of unit, district", o.Level)
	}
	n, err := strconv.Atoi(v["min_cases"])
	if err != nil || n < 1 || n > 100000 {
		return m, o, failure.Invalid("min_cases", "min_cases must be a whole number from 1 to 100000")
	}
	o.MinCases = n
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"w_response", &o.Weights.Response}, {"w_resolution", &o.Weights.Resolution}, {"w_satisfaction", &o.Weights.Satisfaction}} {
		f, err := strconv.ParseFloat(v[p.name], 64)
		if err != nil || f < 0 || f > 1 || math.IsNaN(f) {
			return m, o, failure.Invalid(p.name, "%s must be a number from 0 to 1", p.name)
		}
		*p.dst = f
	}
	if err := o.Weights.Validate(); err != nil {
		return m, o, failure.Invalid("weights", "%s", err.Error())
	}
	return m, o, nil
}

// inspRankValues reads the query, with defaults: last month, units, Huludao's weights, at least five cases.
func (w *Web) inspRankValues(r *http.Request, s *session) map[string]string {
	q := r.URL.Query()
	today, _ := time.Parse(time.DateOnly, w.svc.Today().String())
	last := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	def := map[string]string{"month": last.Format("2006-01"), "level": ranking.LevelUnit, "min_cases": "5",
		"w_response": fmtWeight(ranking.DefaultWeights.Response), "w_resolution": fmtWeight(ranking.DefaultWeights.Resolution),
		"w_satisfaction": fmtWeight(ranking.DefaultWeights.Satisfaction)}
	v := map[string]string{}
	for _, f := range inspRankFields {
		v[f] = strings.TrimSpace(q.Get(f))
		if v[f] == "" {
			v[f] = def[f]
		}
	}
	if s.user.Role == org.RoleHead {
		v["level"] = ranking.LevelUnit
	}
	return v
}

func fmtWeight(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (w *Web) inspRanking(r *http.Request, s *session) (*inspRankPage, error) {
	p := &inspRankPage{Values: w.inspRankValues(r, s), Errors: map[string]string{}, OwnOnly: s.user.Role == org.RoleHead}
	m, o, err := w.inspRankOptions(p.Values)
	if err != nil {
		field, msg := w.inspErr(s, err)
		p.Errors[field] = msg
		return p, err
	}
	rk, err := ranking.Monthly(r.Context(), w.st, m.Year(), m.Month(), o)
	if err != nil {
		return p, err
	}
	p.Rk = &rk
	qv := url.Values{}
	for _, f := range inspRankFields {
		qv.Set(f, p.Values[f])
	}
	p.Query = qv.Encode()
	for _, e := range rk.Ranked {
		row := inspRankRow{Entry: e, Change: "—", ChangeClass: "insp-same"}
		if e.RankChange != nil {
			switch c := *e.RankChange; {
			case c > 0:
				row.Change, row.ChangeClass = fmt.Sprintf("↑%d", c), "insp-up"
			case c < 0:
				row.Change, row.ChangeClass = fmt.Sprintf("↓%d", -c), "insp-down"
			default:
				row.Change = "="
			}
		}
		p.Rows = append(p.Rows, row)
	}
	p.Unranked = rk.Unranked
	if p.OwnOnly {
		for i := range p.Rows {
			if p.Rows[i].UnitID == s.user.UnitID {
				p.Own = &p.Rows[i]
			}
		}
		for i := range p.Unranked {
			if p.Unranked[i].UnitID == s.user.UnitID {
				p.OwnOut = &p.Unranked[i]
			}
		}
	}
	if err := p.charts(w, s); err != nil {
		return p, err
	}
	return p, nil
}

func inspPercent(p *float64) any {
	if p == nil {
		return nil
	}
	return math.Round(*p*1000) / 10
}

// charts builds the bar chart of the composite and the line chart of the
// composite over the last months for the top and bottom three (or the
// chosen unit, or for a head their own).
func (p *inspRankPage) charts(w *Web, s *session) error {
	T := func(k string) string { return w.cat.T(s.locale, k) }
	if !p.OwnOnly && len(p.Rows) > 0 {
		names, vals := []string{}, []any{}
		for i := len(p.Rows) - 1; i >= 0; i-- {
			names = append(names, p.Rows[i].Name)
			vals = append(vals, inspPercent(p.Rows[i].Composite))
		}
		opt := map[string]any{
			"title":   map[string]any{"text": T("insp.rank.chart_bar"), "left": 0, "textStyle": map[string]any{"fontSize": 14}},
			"grid":    map[string]any{"left": 8, "right": 32, "top": 36, "bottom": 8, "containLabel": true},
			"tooltip": map[string]any{},
			"xAxis":   map[string]any{"type": "value", "max": 100},
			"yAxis":   map[string]any{"type": "category", "data": names},
			"series": []any{map[string]any{"type": "bar", "data": vals, "barMaxWidth": 28, "itemStyle": map[string]any{"color": "#1d5fa8"},
				"label": map[string]any{"show": true, "position": "right", "color": "#1f2328"}}},
		}
		b, err := json.Marshal(opt)
		if err != nil {
			return err
		}
		p.Bar = string(b)
	}
	var picked []ranking.Entry
	switch {
	case p.OwnOnly && p.Own != nil:
		picked = []ranking.Entry{p.Own.Entry}
	case p.OwnOnly && p.OwnOut != nil:
		picked = []ranking.Entry{*p.OwnOut}
	case p.OwnOnly:
	case p.Values["unit"] != "":
		for _, e := range append(append([]ranking.Entry{}, p.Rk.Ranked...), p.Rk.Unranked...) {
			if e.Code == p.Values["unit"] {
				picked = append(picked, e)
			}
		}
	default:
		seen := map[int64]bool{}
		n := len(p.Rows)
		for i, r := range p.Rows {
			if (i < 3 || i >= n-3) && !seen[r.UnitID] {
				seen[r.UnitID] = true
				picked = append(picked, r.Entry)
			}
		}
	}
	if len(picked) == 0 {
		return nil
	}
	months := []string{}
	for _, pt := range picked[0].Trend {
		months = append(months, pt.Month)
	}
	months = append(months, p.Rk.Month)
	series := []any{}
	for _, e := range picked {
		data := []any{}
		for _, pt := range e.Trend {
			data = append(data, inspPercent(pt.Composite))
		}
		data = append(data, inspPercent(e.Composite))
		series = append(series, map[string]any{"type": "line", "name": e.Name, "data": data, "connectNulls": true})
	}
	opt := map[string]any{
		"title":   map[string]any{"text": T("insp.rank.chart_line"), "left": 0, "textStyle": map[string]any{"fontSize": 14}},
		"grid":    map[string]any{"left": 8, "right": 24, "top": 72, "bottom": 8, "containLabel": true},
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"top": 34, "left": 0, "type": "scroll"},
		"xAxis":   map[string]any{"type": "category", "data": months},
		"yAxis":   map[string]any{"type": "value", "max": 100},
		"series":  series,
	}
	b, err := json.Marshal(opt)
	if err != nil {
		return err
	}
	p.Line = string(b)
	return nil
}

// inspRankings shows the monthly ranking.
func (w *Web) inspRankings(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.inspRanking(r, s)
	if err != nil {
		if fe := failure.Public(err); fe.Code != failure.CodeInvalid {
			w.fail(rw, r, s, err)
			return
		}
		w.render(rw, r, s, http.StatusUnprocessableEntity, "insp_rankings", p)
		return
	}
	w.render(rw, r, s, http.StatusOK, "insp_rankings", p)
}

// inspRankingsExcel sends the ranking as a workbook: the ranked units, then
// those below the minimum volume.
func (w *Web) inspRankingsExcel(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.inspRanking(r, s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	T := func(k string) string { return w.cat.T(s.locale, k) }
	pct := func(f *float64) any {
		if v := inspPercent(f); v != nil {
			return v
		}
		return "—"
	}
	rows := [][]any{{T("insp.rank.col_rank"), T("insp.rank.col_code"), T("insp.rank.col_name"), T("insp.rank.col_cases"),
		T("insp.rank.col_response"), T("insp.rank.col_on_time"), T("insp.rank.col_resolution"), T("insp.rank.col_satisfaction"),
		T("insp.rank.col_composite"), T("insp.rank.col_change")}}
	line := func(rank any, e ranking.Entry, change string) []any {
		return []any{rank, e.Code, e.Name, e.Cases, pct(e.Response), pct(e.OnTimeRate), pct(e.Resolution), pct(e.Satisfaction),
			pct(e.Composite), change}
	}
	for _, row := range p.Rows {
		rows = append(rows, line(row.Rank, row.Entry, row.Change))
	}
	for _, e := range p.Unranked {
		rows = append(rows, line(T("insp.rank.unranked"), e, ""))
	}
	book := excelize.NewFile()
	defer book.Close()
	sheet := p.Rk.Month
	if err := book.SetSheetName(book.GetSheetName(0), sheet); err != nil {
		w.fail(rw, r, s, fmt.Errorf("ranking workbook: %w", err))
		return
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := book.SetSheetRow(sheet, cell, &row); err != nil {
			w.fail(rw, r, s, fmt.Errorf("ranking workbook row %d: %w", i+1, err))
			return
		}
	}
	_ = book.SetColWidth(sheet, "C", "C", 24)
	var buf bytes.Buffer
	if err := book.Write(&buf); err != nil {
		w.fail(rw, r, s, fmt.Errorf("ranking workbook: %w", err))
		return
	}
	inspSend(rw, inspXLSXType, "ranking-"+p.Rk.Level+"-"+p.Rk.Month+".xlsx", buf.Bytes())
}

// inspRankArg is what the insp-rank-table template sees.
type inspRankArg struct {
	V    *view
	Rows []inspRankRow
}

// InspRankRows gives the rank table its rows: rows, or the one row own.
func (v *view) InspRankRows(rows []inspRankRow, own *inspRankRow) inspRankArg {
	if own != nil {
		rows = []inspRankRow{*own}
	}
	return inspRankArg{V: v, Rows: rows}
}
