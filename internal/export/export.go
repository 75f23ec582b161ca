// Package export writes a petition list (a store.Filter, always restricted
// to the caller's scope) as CSV or as an Excel workbook, page by page so
// that memory stays flat however long the list, with Chinese column
// headers and the petitioner's personal data masked as access.LevelFor
// says for each case. A list export carries the petitioner's name and
// address only: phone and ID numbers stay in the case record.
package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Format is an export file format.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ParseFormat validates a format name.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case CSV, XLSX:
		return Format(s), nil
	}
	return "", fmt.Errorf("export format %q is not one of csv, xlsx", s)
}

// ContentType returns the MIME type of f.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Filename suggests a download name: 信访件_2026-03-10.xlsx.
func (f Format) Filename(today calendar.Date) string {
	return "信访件_" + today.String() + "." + string(f)
}

// MaxRows caps one export (an Excel sheet holds 1,048,576 rows).
const MaxRows = 1_000_000

// DefaultPageSize is how many rows are read from the database at a time.
const DefaultPageSize = 500

// Headers are the column headers, in order.
var Headers = []string{"受理编号", "查询码", "收到时间", "渠道", "信访人", "地址", "属地", "标题", "状态", "责任单位", "下一期限", "是否超期", "答复意见"}

// widths are the Excel column widths, in characters, matching Headers.
var widths = []float64{10, 16, 18, 10, 16, 30, 10, 36, 12, 18, 12, 10, 10}

// StateNames are the states in Chinese.
var StateNames = map[petition.State]string{
	petition.Registered: "已登记", petition.Accepted: "已受理", petition.Declined: "不予受理", petition.Assigned: "已交办",
	petition.Returned: "已退回", petition.Handling: "办理中", petition.ExtensionRequested: "延期申请中", petition.Replied: "已答复",
	petition.ReviewRequested: "复查中", petition.Reviewed: "已复查", petition.RereviewRequested: "复核中", petition.Closed: "已终结",
}

// ChannelNames are the intake channels in Chinese.
var ChannelNames = map[string]string{"letter": "来信", "visit": "来访", "online": "网上信访", "hotline": "12345热线", "mailbox": "领导信箱"}

// OutcomeNames are the reply outcomes in Chinese.
var OutcomeNames = map[string]string{petition.OutcomeSupport: "支持", petition.OutcomeExplain: "解释说明", petition.OutcomeReject: "不予支持"}

// Exporter writes petition lists from a store.
type Exporter struct {
	st       *store.Store
	now      func() time.Time
	pageSize int
}

// New returns an exporter; now is the clock (time.Now in production), used
// to decide what is overdue.
func New(st *store.Store, now func() time.Time) *Exporter {
	if now == nil {
		now = time.Now
	}
	return &Exporter{st: st, now: now, pageSize: DefaultPageSize}
}

// WithPageSize returns a copy of the exporter that reads n rows at a time
// (1–500; progress is reported once per page).
func (e *Exporter) WithPageSize(n int) *Exporter {
	c := *e
	c.pageSize = min(max(n, 1), 500)
	return &c
}

// Write exports the petitions that f selects and u may see to w in format
// fm, newest first. progress, if not nil, is called after each page with
// the number of rows written so far. It returns the number of rows.
func (e *Exporter) Write(ctx context.Context, w io.Writer, fm Format, u org.User, f store.Filter, progress func(done int)) (int, error) {
	switch fm {
	case CSV:
		return e.CSV(ctx, w, u, f, progress)
	case XLSX:
		return e.XLSX(ctx, w, u, f, progress)
	}
	return 0, fmt.Errorf("export format %q is not one of csv, xlsx", fm)
}

// CSV writes the list as UTF-8 CSV with a byte-order mark, so that Excel
// opens Chinese text correctly. Cells that a spreadsheet would read as a
// formula are prefixed with an apostrophe.
func (e *Exporter) CSV(ctx context.Context, w io.Writer, u org.User, f store.Filter, progress func(done int)) (int, error) {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return 0, fmt.Errorf("export csv: %w", err)
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true // what Excel writes and expects
	if err := cw.Write(Headers); err != nil {
		return 0, fmt.Errorf("export csv: %w", err)
	}
	n, err := e.each(ctx, u, f, progress, func(row []string) error {
		for i := range row {
			row[i] = Defuse(row[i])
		}
		return cw.Write(row)
	}, func() error {
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return n, fmt.Errorf("export csv: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("export csv: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export csv: %w", err)
	}
	return n, nil
}

// Defuse keeps a spreadsheet from running a cell as a formula (CSV injection).
func Defuse(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// XLSX writes the list as an Excel workbook with one sheet, 信访件, its
// header row frozen. Rows are streamed (excelize's StreamWriter).
func (e *Exporter) XLSX(ctx context.Context, w io.Writer, u org.User, f store.Filter, progress func(done int)) (int, error) {
	x := excelize.NewFile()
	defer x.Close()
	const sheet = "信访件"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return 0, fmt.Errorf("export xlsx: %w", err)
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return 0, fmt.Errorf("export xlsx: %w", err)
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}}})
	if err != nil {
		return 0, fmt.Errorf("export xlsx: %w", err)
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return 0, fmt.Errorf("export xlsx: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, fmt.Errorf("export xlsx: %w", err)
	}
	head := make([]any, len(Headers))
	for i, h := range Headers {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return 0, fmt.Errorf("export xlsx: %w", err)
	}
	line := 1
	n, err := e.each(ctx, u, f, progress, func(row []string) error {
		line++
		vals := make([]any, len(row))
		for i, v := range row {
			vals[i] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, line)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, vals)
	}, nil)
	if err != nil {
		return n, fmt.Errorf("export xlsx: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return n, fmt.Errorf("export xlsx: %w", err)
	}
	if _, err := x.WriteTo(w); err != nil {
		return n, fmt.Errorf("export xlsx: %w", err)
	}
	return n, nil
}

// each runs row for every petition of the list, page by page; after each
// page it calls flush (if any) and then progress.
func (e *Exporter) each(ctx context.Context, u org.User, f store.Filter, progress func(int), row func([]string) error, flush func() error) (int, error) {
	tree, err := e.st.Units(ctx)
	if err != nil {
		return 0, err
	}
	// The scope is the caller's, whatever the filter said.
	f.Scope = access.Scope(u, tree)
	f.Today = calendar.DateOf(e.now())
	f.Limit = e.pageSize
	f.Cursor = ""
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		page, err := e.st.ListPetitions(ctx, f)
		if err != nil {
			return n, err
		}
		for i := range page.Items {
			if n >= MaxRows {
				return n, fmt.Errorf("the list has more than %d rows; narrow the filter", MaxRows)
			}
			if err := row(Row(u, tree, &page.Items[i])); err != nil {
				return n, err
			}
			n++
		}
		if flush != nil {
			if err := flush(); err != nil {
				return n, err
			}
		}
		if progress != nil {
			progress(n)
		}
		if page.NextCursor == "" {
			return n, nil
		}
		f.Cursor = page.NextCursor
	}
}

// Row returns one petition's cells, in the order of Headers, with personal
// data masked for u.
func Row(u org.User, tree *org.Tree, s *store.Summary) []string {
	p := &s.Petition
	name, address := s.PetitionerName, p.Address
	switch access.LevelFor(u, p) {
	case access.Named:
		address = access.MaskAddress(address)
	case access.Hidden:
		name = access.MaskPetitioner(petition.Petitioner{Name: name}, access.Hidden).Name
		address = ""
	}
	district := p.DistrictCode
	if un, ok := tree.ByCode(p.DistrictCode); ok {
		district = un.Name
	}
	unit := ""
	if un, ok := tree.Unit(p.UnitID); ok && p.UnitID != 0 {
		unit = un.Name
	}
	due, overdue := "", "否"
	if s.NextDue != nil {
		due = s.NextDue.String()
	}
	if s.Overdue {
		overdue = "是"
	}
	return []string{
		fmt.Sprint(p.ID), p.TrackingCode, p.ReceivedAt.In(calendar.Location).Format("2006-01-02 15:04"),
		nameOr(ChannelNames, p.Channel), name, address, district, p.Title, nameOr(StateNames, p.State),
		unit, due, overdue, nameOr(OutcomeNames, p.ReplyOutcome),
	}
}

func nameOr[K ~string](m map[K]string, k K) string {
	if v, ok := m[k]; ok {
		return v
	}
	return string(k)
}
