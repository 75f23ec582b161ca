package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"

	"github.com/xuri/excelize/v2"

	"redress/internal/export"
	"redress/internal/store"
)

// exportMax caps the rows of one export.
const exportMax = 200000

// exportColumns are the exported columns, as message keys.
var exportColumns = []string{"col.id", "col.tracking", "col.received", "col.channel", "col.district", "col.title",
	"col.petitioner", "col.state", "col.unit", "col.next_due", "col.overdue"}

// exportRows reads the filtered list page by page, masked for s, and hands
// each row to emit; it stops at exportMax rows.
func (w *Web) exportRows(ctx context.Context, s *session, f store.Filter, emit func([]string) error) (int, error) {
	v := &view{w: w, Locale: s.locale, User: s.user, tree: s.tree, cal: s.cal, today: w.svc.Today()}
	f.Limit, f.Cursor = 500, ""
	n := 0
	for n < exportMax {
		page, err := w.list(ctx, s, f)
		if err != nil {
			return n, err
		}
		for _, it := range page.Items {
			due, over := "", ""
			if it.NextDue != nil {
				due = it.NextDue.String()
			}
			if it.Overdue {
				over = v.T("common.yes")
			}
			row := []string{strconv.FormatInt(it.ID, 10), it.TrackingCode, v.DateTime(it.ReceivedAt), v.Channel(it.Channel),
				v.District(it.DistrictCode), it.Title, it.PetitionerName, v.State(it.State), v.Unit(it.UnitID), due, over}
			if err := emit(row); err != nil {
				return n, err
			}
			n++
		}
		if page.NextCursor == "" {
			break
		}
		f.Cursor = page.NextCursor
	}
	return n, nil
}

// exportStart reads the filter and audits the export: a list of petitions
// with personal data leaves the system.
func (w *Web) exportStart(rw http.ResponseWriter, r *http.Request, s *session, format string) (store.Filter, bool) {
	lf, f, err := w.readListForm(r, s)
	if err != nil {
		w.fail(rw, r, s, err)
		return f, false
	}
	actor := store.Actor{ID: s.user.ID, Login: s.user.Login}
	err = w.st.Write(r.Context(), func(tx *store.Tx) error {
		return tx.Audit(actor, "petitions.export", "petition", "list", nil, map[string]any{"format": format, "filter": string(lf.Query())})
	})
	if err != nil {
		w.fail(rw, r, s, err)
		return f, false
	}
	return f, true
}

func (w *Web) exportName(ext string) string {
	return "petitions-" + w.svc.Today().String() + "." + ext
}

// exportCSV streams the list as CSV (UTF-8 with a byte-order mark, so Excel
// reads the Chinese text), flushing after every page of rows.
func (w *Web) exportCSV(rw http.ResponseWriter, r *http.Request, s *session) {
	f, ok := w.exportStart(rw, r, s, "csv")
	if !ok {
		return
	}
	rw.Header().Set("Content-Type", "text/csv; charset=utf-8")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+w.exportName("csv")+`"`)
	rw.Header().Set("Cache-Control", "no-store")
	_, _ = rw.Write([]byte("\ufeff"))
	cw := csv.NewWriter(rw)
	head := make([]string, len(exportColumns))
	for i, k := range exportColumns {
		head[i] = w.cat.T(s.locale, k)
	}
	_ = cw.Write(head)
	flusher, _ := rw.(http.Flusher)
	rows := 0
	n, err := w.exportRows(r.Context(), s, f, func(row []string) error {
		for i := range row {
			row[i] = export.Defuse(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
		rows++
		if rows%500 == 0 {
			cw.Flush()
			if flusher != nil {
				flusher.Flush()
			}
		}
		return cw.Error()
	})
	cw.Flush()
	if flusher != nil {
		flusher.Flush()
	}
	if err != nil {
		// The header is sent; all that can be done is to log and cut the stream.
		logError("export csv", err, "user", s.user.Login, "rows", n)
		panic(http.ErrAbortHandler)
	}
}

// exportXLSX writes the list as an Excel workbook through excelize's stream
// writer, then sends it with its length so the browser can show progress.
func (w *Web) exportXLSX(rw http.ResponseWriter, r *http.Request, s *session) {
	f, ok := w.exportStart(rw, r, s, "xlsx")
	if !ok {
		return
	}
	book := excelize.NewFile()
	defer book.Close()
	sheet := book.GetSheetName(0)
	sw, err := book.NewStreamWriter(sheet)
	if err != nil {
		w.fail(rw, r, s, fmt.Errorf("xlsx stream: %w", err))
		return
	}
	_ = sw.SetColWidth(1, 1, 8)
	_ = sw.SetColWidth(2, 3, 18)
	_ = sw.SetColWidth(6, 6, 40)
	_ = sw.SetColWidth(9, 9, 24)
	line := 1
	put := func(row []string) error {
		cells := make([]any, len(row))
		for i, c := range row {
			cells[i] = c
		}
		cell, err := excelize.CoordinatesToCellName(1, line)
		if err != nil {
			return err
		}
		line++
		return sw.SetRow(cell, cells)
	}
	head := make([]string, len(exportColumns))
	for i, k := range exportColumns {
		head[i] = w.cat.T(s.locale, k)
	}
	if err := put(head); err != nil {
		w.fail(rw, r, s, fmt.Errorf("xlsx header: %w", err))
		return
	}
	if _, err := w.exportRows(r.Context(), s, f, put); err != nil {
		w.fail(rw, r, s, fmt.Errorf("xlsx rows: %w", err))
		return
	}
	if err := sw.Flush(); err != nil {
		w.fail(rw, r, s, fmt.Errorf("xlsx flush: %w", err))
		return
	}
	// The finished workbook goes to a temporary file, not memory, and is
	// sent from there with its length.
	tmp, err := os.CreateTemp("", "redress-export-*.xlsx")
	if err != nil {
		w.fail(rw, r, s, fmt.Errorf("xlsx temp file: %w", err))
		return
	}
	defer func() { tmp.Close(); os.Remove(tmp.Name()) }()
	size, err := book.WriteTo(tmp)
	if err != nil {
		w.fail(rw, r, s, fmt.Errorf("xlsx write: %w", err))
		return
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		w.fail(rw, r, s, fmt.Errorf("xlsx rewind: %w", err))
		return
	}
	rw.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rw.Header().Set("Content-Disposition", `attachment; filename="`+w.exportName("xlsx")+`"`)
	rw.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	rw.Header().Set("Cache-Control", "no-store")
	if _, err := io.Copy(rw, tmp); err != nil {
		slog.Warn("export xlsx: send", "user", s.user.Login, "err", err)
	}
}
