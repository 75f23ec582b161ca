package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"redress/internal/calendar"
	"redress/internal/inspection"
	"redress/internal/notices"
	"redress/internal/store"
)

// inspDocOptions are the local particulars of the printed report.
var inspDocOptions = notices.DefaultOptions()

// inspPrintPage is the report laid out as a formal document for A4.
type inspPrintPage struct {
	*inspReportPage
	Issuer string
	Title  string
	DateZH string
}

// inspPrint shows the report as a formal document, without the site's
// navigation, for the browser to print.
func (w *Web) inspPrint(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.inspReportPage(r, s)
	if err != nil {
		w.inspFail(rw, r, s, err)
		return
	}
	doc := inspPrintPage{inspReportPage: p, Issuer: inspection.Issuer(inspDocOptions), Title: inspection.Title(p.Rep),
		DateZH: notices.DateZH(calendar.DateOf(p.Rep.DraftedAt))}
	w.renderFragment(rw, r, s, http.StatusOK, "insp_print", "print", doc)
}

// inspAudit records that a report left the system.
func (w *Web) inspAudit(r *http.Request, s *session, id int64, format string) error {
	return w.st.Write(r.Context(), func(tx *store.Tx) error {
		return tx.Audit(store.Actor{ID: s.user.ID, Login: s.user.Login}, "inspection.export", "inspection", id, nil, map[string]any{"format": format})
	})
}

// inspPDF sends the report as a PDF through the notices' machinery.
func (w *Web) inspPDF(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.inspReportPage(r, s)
	if err != nil {
		w.inspFail(rw, r, s, err)
		return
	}
	var buf bytes.Buffer
	if err := inspection.Document(p.Rep, inspDocOptions).PDF(&buf); err != nil {
		w.fail(rw, r, s, fmt.Errorf("inspection %d as PDF: %w", p.Rep.Inspection.ID, err))
		return
	}
	if err := w.inspAudit(r, s, p.Rep.Inspection.ID, "pdf"); err != nil {
		w.fail(rw, r, s, err)
		return
	}
	inspSend(rw, "application/pdf", "inspection-"+strconv.FormatInt(p.Rep.Inspection.ID, 10)+".pdf", buf.Bytes())
}

// inspExcel sends the report as the same workbook the API exports.
func (w *Web) inspExcel(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.inspReportPage(r, s)
	if err != nil {
		w.inspFail(rw, r, s, err)
		return
	}
	var buf bytes.Buffer
	if err := inspection.WriteExcel(&buf, p.Rep); err != nil {
		w.fail(rw, r, s, fmt.Errorf("inspection %d as Excel: %w", p.Rep.Inspection.ID, err))
		return
	}
	if err := w.inspAudit(r, s, p.Rep.Inspection.ID, "xlsx"); err != nil {
		w.fail(rw, r, s, err)
		return
	}
	inspSend(rw, inspXLSXType, "inspection-"+strconv.FormatInt(p.Rep.Inspection.ID, 10)+".xlsx", buf.Bytes())
}

const inspXLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func inspSend(rw http.ResponseWriter, contentType, name string, body []byte) {
	h := rw.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	_, _ = rw.Write(body)
}
