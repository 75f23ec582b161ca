// Package open311 is the Open311 GeoReport v2 endpoint at /open311/v2/:
// discovery, the petition categories as services with their definitions,
// filing a request (form-encoded, api_key required), and public reads of
// requests and tokens, in XML (required by the standard) and JSON.
//
// A request filed here is an ordinary petition: channel online, registered
// with lifecycle.Register so the statutory deadlines and the audit apply.
// Its district comes from the required attribute "district" of every
// service (see DistrictAttribute). Public reads are built only from
// workflow fields and attributes marked public: never the petitioner's
// name, phone, email, account, device, address or description, and never an
// accusation (检举).
package open311

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/lifecycle"
	"redress/internal/store"
)

// Prefix is where the endpoint lives.
const Prefix = "/open311/v2"

// Limits from the standard and our own.
const (
	MaxDescription = 4000 // characters (GeoReport v2)
	MaxWindow      = 90 * 24 * time.Hour
	MaxRows        = 1000
)

// Options configure the endpoint.
type Options struct {
	// Jurisdiction is the jurisdiction_id this endpoint serves (default
	// "211400", 葫芦岛市). A request naming another jurisdiction is refused.
	Jurisdiction string
	// Contact is published in discovery.
	Contact string
	// MaxBodyBytes caps a POST body (default 64 KiB).
	MaxBodyBytes int64
}

// Endpoint serves Open311 GeoReport v2.
type Endpoint struct {
	svc *lifecycle.Service
	st  *store.Store
	o   Options
}

// New returns the endpoint.
func New(svc *lifecycle.Service, o Options) *Endpoint {
	if o.Jurisdiction == "" {
		o.Jurisdiction = "211400"
	}
	if o.Contact == "" {
		o.Contact = "葫芦岛市信访局 12345"
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 64 << 10
	}
	return &Endpoint{svc: svc, st: svc.Store(), o: o}
}

// Register adds the endpoint's routes to mux.
func (e *Endpoint) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/{file}", e.top)
	mux.HandleFunc("POST "+Prefix+"/{file}", e.post)
	mux.HandleFunc("GET "+Prefix+"/services/{file}", e.serviceDefinition)
	mux.HandleFunc("GET "+Prefix+"/requests/{file}", e.request)
	mux.HandleFunc("GET "+Prefix+"/tokens/{file}", e.token)
	mux.HandleFunc(Prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		f := formatOf(r.URL.Path)
		if r.Method != http.MethodGet && r.Method != http.MethodPost {
			writeErrors(w, r, f, http.StatusBadRequest, "method "+r.Method+" is not supported; use GET or POST")
			return
		}
		writeErrors(w, r, f, http.StatusNotFound, "resource "+r.URL.Path+" not found")
	})
}

// format is a response format.
type format string

const (
	formatXML  format = "xml"
	formatJSON format = "json"
)

// split parses "name.format"; ok is false for an unknown format.
func split(file string) (name string, f format, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, formatXML, false
	}
	switch format(file[i+1:]) {
	case formatXML:
		return file[:i], formatXML, true
	case formatJSON:
		return file[:i], formatJSON, true
	}
	return file[:i], formatXML, false
}

// formatOf guesses the format an error should be written in from a path.
func formatOf(path string) format {
	if strings.HasSuffix(path, ".json") {
		return formatJSON
	}
	return formatXML
}

func (e *Endpoint) top(w http.ResponseWriter, r *http.Request) {
	name, f, ok := split(r.PathValue("file"))
	if !ok {
		writeErrors(w, r, f, http.StatusNotFound, "resource "+r.URL.Path+" not found; add .xml or .json")
		return
	}
	switch name {
	case "discovery":
		e.discovery(w, r, f)
	case "services":
		e.services(w, r, f)
	case "requests":
		e.requests(w, r, f)
	default:
		writeErrors(w, r, f, http.StatusNotFound, "resource "+name+" not found")
	}
}

func (e *Endpoint) post(w http.ResponseWriter, r *http.Request) {
	name, f, ok := split(r.PathValue("file"))
	if !ok || name != "requests" {
		writeErrors(w, r, f, http.StatusNotFound, "resource "+r.URL.Path+" not found")
		return
	}
	e.createRequest(w, r, f)
}

// apiError is one entry of an error list.
type apiError struct {
	Code        int    `xml:"code" json:"code"`
	Description string `xml:"description" json:"description"`
}

type errorsXML struct {
	XMLName xml.Name   `xml:"errors"`
	Errors  []apiError `xml:"error"`
}

// writeErrors sends the standard's error list: 404 missing resource, 403 bad
// or missing api_key, 400 anything else (500 only for our own failures).
func writeErrors(w http.ResponseWriter, r *http.Request, f format, status int, desc string) {
	list := []apiError{{Code: status, Description: desc}}
	if f == formatJSON {
		write(w, r, f, status, list)
		return
	}
	write(w, r, f, status, errorsXML{Errors: list})
}

// fail sends err in the standard's error format, logging the full error.
func fail(w http.ResponseWriter, r *http.Request, f format, err error) {
	fe := failure.Public(err)
	status := fe.Status
	switch {
	case status == http.StatusNotFound, status == http.StatusForbidden:
	case status >= 500:
		slog.Error("open311 request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	default:
		status = http.StatusBadRequest
	}
	desc := fe.Message
	if status >= 500 {
		desc = "internal error"
	}
	slog.Debug("open311 request refused", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	writeErrors(w, r, f, status, desc)
}

// write encodes v in format f.
func write(w http.ResponseWriter, r *http.Request, f format, status int, v any) {
	var buf bytes.Buffer
	if f == formatJSON {
		enc := json.NewEncoder(&buf)
		if err := enc.Encode(v); err != nil {
			slog.Error("open311 encode json", "path", r.URL.Path, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	} else {
		buf.WriteString(xml.Header)
		if err := xml.NewEncoder(&buf).Encode(v); err != nil {
			slog.Error("open311 encode xml", "path", r.URL.Path, "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		buf.WriteByte('\n')
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	}
	w.WriteHeader(status)
	if _, err := w.Write(buf.Bytes()); err != nil {
		slog.Debug("open311 write", "path", r.URL.Path, "err", err)
	}
}

// arg returns a query or form argument, trimmed; an argument sent empty is
// treated as absent (GeoReport v2).
func arg(r *http.Request, name string) string {
	return strings.TrimSpace(r.Form.Get(name))
}

// checkJurisdiction refuses a jurisdiction_id this endpoint does not serve.
func (e *Endpoint) checkJurisdiction(r *http.Request) error {
	if j := arg(r, "jurisdiction_id"); j != "" && j != e.o.Jurisdiction {
		return failure.Invalid("jurisdiction_id", "jurisdiction_id %q is not served here; use %s", j, e.o.Jurisdiction)
	}
	return nil
}

// isoTime formats t as ISO 8601 with China's offset.
func isoTime(t time.Time) string { return t.In(calendar.Location).Format(time.RFC3339) }

// parseTime reads an ISO 8601 datetime; a bare date is midnight in China.
func parseTime(field, s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, calendar.Location); err == nil {
		return t, nil
	}
	return time.Time{}, failure.Invalid(field, "%s %q is not an ISO 8601 datetime with a time zone (e.g. 2026-03-01T00:00:00+08:00)", field, s)
}
