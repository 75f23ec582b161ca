package open311

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// createdOut answers POST requests. The request is registered at once, so
// both its id and a token (for clients that poll tokens/) are returned.
type createdOut struct {
	ServiceRequestID int64   `xml:"service_request_id" json:"service_request_id"`
	Token            string  `xml:"token" json:"token"`
	ServiceNotice    string  `xml:"service_notice" json:"service_notice"`
	AccountID        *string `xml:"account_id" json:"account_id"`
}

type requestsXML struct {
	XMLName xml.Name `xml:"service_requests"`
	Items   any      `xml:"request"`
}

// writeList writes a list of requests (even a single one, as the standard asks).
func writeList[T any](w http.ResponseWriter, r *http.Request, f format, status int, items []T) {
	if items == nil {
		items = []T{}
	}
	if f == formatJSON {
		write(w, r, f, status, items)
		return
	}
	write(w, r, f, status, requestsXML{Items: items})
}

var attrKey = regexp.MustCompile(`^attribute\[([^\[\]]+)\](\[\])?$`)

// filed is a validated POST requests.
type filed struct {
	rec     intake.Record
	request store.Open311Request
	service Service
}

func newToken() string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func (e *Endpoint) createRequest(w http.ResponseWriter, r *http.Request, f format) {
	r.Body = http.MaxBytesReader(w, r.Body, e.o.MaxBodyBytes)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(e.o.MaxBodyBytes)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			fail(w, r, f, failure.Invalid("", "the request body is larger than %d bytes", e.o.MaxBodyBytes))
			return
		}
		fail(w, r, f, failure.Invalid("", "the form could not be read: %v", err))
		return
	}
	key := arg(r, "api_key")
	if key == "" {
		writeErrors(w, r, f, http.StatusForbidden, "api_key is required")
		return
	}
	keyID, err := e.st.Open311KeyID(r.Context(), key)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			writeErrors(w, r, f, http.StatusForbidden, "api_key is not valid")
			return
		}
		fail(w, r, f, err)
		return
	}
	fl, err := e.validate(r)
	if err != nil {
		fail(w, r, f, err)
		return
	}
	fl.request.KeyID = keyID
	id, tracking, err := e.file(r, fl)
	if err != nil {
		fail(w, r, f, err)
		return
	}
	var account *string
	if fl.request.AccountID != "" {
		account = &fl.request.AccountID
	}
	notice := fmt.Sprintf("已登记为信访件（%s）。请妥善保存查询码 %s，可凭查询码和手机号在 /portal/ 查询办理进度。", fl.service.Name, tracking)
	writeList(w, r, f, http.StatusOK, []createdOut{{ServiceRequestID: id, Token: fl.request.Token, ServiceNotice: notice, AccountID: account}})
}

// file registers the petition and its Open311 record in one transaction.
func (e *Endpoint) file(r *http.Request, fl filed) (int64, string, error) {
	prep, err := e.svc.Prepare(r.Context(), fl.rec, false)
	if err != nil {
		return 0, "", err
	}
	var id int64
	var tracking string
	err = e.st.Write(r.Context(), func(tx *store.Tx) error {
		reg, err := e.svc.RegisterTx(tx, org.User{}, prep)
		if err != nil {
			return err
		}
		id, tracking = reg.ID, reg.TrackingCode
		req := fl.request
		req.PetitionID = reg.ID
		return tx.InsertOpen311Request(store.Actor{Login: fmt.Sprintf("open311-key-%d", req.KeyID)}, &req)
	})
	return id, tracking, err
}

// validate checks a POST requests form against the service definition.
func (e *Endpoint) validate(r *http.Request) (filed, error) {
	var fl filed
	if err := e.checkJurisdiction(r); err != nil {
		return fl, err
	}
	code := arg(r, "service_code")
	if code == "" {
		return fl, failure.Invalid("service_code", "service_code is required")
	}
	all, err := e.catalogue(r)
	if err != nil {
		return fl, err
	}
	s, ok := Lookup(all, code)
	if !ok {
		return fl, failure.Invalid("service_code", "service_code %q is not a service; see services.xml", code)
	}
	fl.service = s
	req := &fl.request
	req.ServiceCode, req.Token, req.CreatedAt = s.Code, newToken(), e.svc.Now()

	// Location: lat+long, address_string or address_id.
	lat, long := arg(r, "lat"), arg(r, "long")
	if lat != "" || long != "" {
		if lat == "" || long == "" {
			return fl, failure.Invalid("lat", "lat and long must be given together")
		}
		la, err := strconv.ParseFloat(lat, 64)
		if err != nil || math.IsNaN(la) || la < -90 || la > 90 {
			return fl, failure.Invalid("lat", "lat %q is not a latitude (-90 to 90)", lat)
		}
		lo, err := strconv.ParseFloat(long, 64)
		if err != nil || math.IsNaN(lo) || lo < -180 || lo > 180 {
			return fl, failure.Invalid("long", "long %q is not a longitude (-180 to 180)", long)
		}
		req.Lat, req.Long = &la, &lo
	}
	req.AddressString, req.AddressID = arg(r, "address_string"), arg(r, "address_id")
	if req.Lat == nil && req.AddressString == "" && req.AddressID == "" {
		return fl, failure.Invalid("lat", "a location is required: lat and long, address_string or address_id")
	}
	if err := maxChars("address_string", req.AddressString, intake.MaxAddress); err != nil {
		return fl, err
	}
	if err := maxChars("address_id", req.AddressID, 100); err != nil {
		return fl, err
	}

	attrs, err := parseAttributes(r.Form, s)
	if err != nil {
		return fl, err
	}
	req.Attributes = attrs

	desc := arg(r, "description")
	if n := utf8.RuneCountInString(desc); n > MaxDescription {
		return fl, failure.Invalid("description", "description has %d characters, at most %d are allowed", n, MaxDescription)
	}
	if !utf8.ValidString(desc) {
		return fl, failure.Invalid("description", "description is not valid UTF-8")
	}
	req.Email, req.DeviceID, req.AccountID = arg(r, "email"), arg(r, "device_id"), arg(r, "account_id")
	if req.Email != "" {
		if a, err := mail.ParseAddress(req.Email); err != nil || a.Address != req.Email || len(req.Email) > 254 {
			return fl, failure.Invalid("email", "email %q is not an e-mail address", req.Email)
		}
	}
	for _, x := range []struct{ name, v string }{{"device_id", req.DeviceID}, {"account_id", req.AccountID},
		{"first_name", arg(r, "first_name")}, {"last_name", arg(r, "last_name")}} {
		if err := maxChars(x.name, x.v, 100); err != nil {
			return fl, err
		}
	}
	if m := arg(r, "media_url"); m != "" {
		u, err := url.Parse(m)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(m) > 2000 {
			return fl, failure.Invalid("media_url", "media_url is not an http(s) URL")
		}
		req.MediaURL = m
	}

	// The petition. Chinese names put the family name first.
	name := strings.TrimSpace(arg(r, "last_name") + arg(r, "first_name"))
	if name == "" {
		name = "匿名"
	}
	address := req.AddressString
	if address == "" && req.Lat != nil {
		address = fmt.Sprintf("%.6f,%.6f", *req.Lat, *req.Long)
	}
	fl.rec = intake.Record{
		ReceivedAt: e.svc.Now(), Channel: "online", PetitionerName: name, Phone: arg(r, "phone"),
		DistrictCode: attrs[DistrictAttribute][0], Address: address,
		Title: title(s, attrs), Content: content(s, attrs, desc),
	}
	return fl, nil
}

func maxChars(field, v string, n int) error {
	if c := utf8.RuneCountInString(v); c > n {
		return failure.Invalid(field, "%s has %d characters, at most %d are allowed", field, c, n)
	}
	return nil
}

// parseAttributes reads attribute[code]=v and attribute[code][]=v and
// checks them against the service definition.
func parseAttributes(form url.Values, s Service) (map[string][]string, error) {
	out := map[string][]string{}
	for k, vs := range form {
		m := attrKey.FindStringSubmatch(k)
		if m == nil {
			if strings.HasPrefix(k, "attribute") {
				return nil, failure.Invalid(k, "%q is not attribute[code] or attribute[code][]", k)
			}
			continue
		}
		code, multi := m[1], m[2] != ""
		a, ok := s.attribute(code)
		if !ok {
			return nil, failure.Invalid(k, "service %s has no attribute %q", s.Code, code)
		}
		var vals []string
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
			continue // sent empty: absent
		}
		if a.Datatype != TypeMulti && (multi || len(vals) > 1 || len(out[code]) > 0) {
			return nil, failure.Invalid(k, "attribute %s takes one value", code)
		}
		for _, v := range vals {
			if err := checkValue(a, v); err != nil {
				return nil, err
			}
			if !slices.Contains(out[code], v) {
				out[code] = append(out[code], v)
			}
		}
	}
	for _, a := range s.Attributes {
		if a.Required && len(out[a.Code]) == 0 {
			return nil, failure.Invalid("attribute["+a.Code+"]", "attribute %s (%s) is required", a.Code, a.Description)
		}
	}
	return out, nil
}

func checkValue(a Attribute, v string) error {
	field := "attribute[" + a.Code + "]"
	switch a.Datatype {
	case TypeNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return failure.Invalid(field, "attribute %s must be a number, not %q", a.Code, v)
		}
	case TypeDatetime:
		if _, err := parseTime(field, v); err != nil {
			return err
		}
	case TypeSingle, TypeMulti:
		if _, ok := a.valueName(v); !ok {
			return failure.Invalid(field, "attribute %s has no value %q", a.Code, v)
		}
	case TypeText:
		return maxChars(field, v, MaxDescription)
	default:
		return maxChars(field, v, 200)
	}
	return nil
}

// render writes attribute values for people: list keys become their names.
func render(a Attribute, vals []string) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = v
		if n, ok := a.valueName(v); ok {
			out[i] = n
		}
	}
	return strings.Join(out, "、")
}

func title(s Service, attrs map[string][]string) string {
	t := s.Name
	for _, a := range s.Attributes[1:] {
		if a.Public && a.Datatype == TypeString && len(attrs[a.Code]) > 0 {
			t += "：" + attrs[a.Code][0]
			break
		}
	}
	if r := []rune(t); len(r) > intake.MaxTitle {
		t = string(r[:intake.MaxTitle])
	}
	return t
}

func content(s Service, attrs map[string][]string, desc string) string {
	var b strings.Builder
	if desc != "" {
		b.WriteString(desc)
	} else {
		b.WriteString("（未填写描述）")
	}
	b.WriteString("\n\n")
	for _, a := range s.Attributes {
		if v := attrs[a.Code]; len(v) > 0 {
			fmt.Fprintf(&b, "%s：%s\n", a.Description, render(a, v))
		}
	}
	return strings.TrimSpace(b.String())
}

// requestOut is a request as a public read shows it.
type requestOut struct {
	ServiceRequestID  int64    `xml:"service_request_id" json:"service_request_id"`
	Status            string   `xml:"status" json:"status"`
	StatusNotes       string   `xml:"status_notes" json:"status_notes"`
	ServiceName       string   `xml:"service_name" json:"service_name"`
	ServiceCode       string   `xml:"service_code" json:"service_code"`
	Description       string   `xml:"description" json:"description"`
	AgencyResponsible string   `xml:"agency_responsible" json:"agency_responsible"`
	ServiceNotice     string   `xml:"service_notice" json:"service_notice"`
	RequestedDatetime string   `xml:"requested_datetime" json:"requested_datetime"`
	UpdatedDatetime   string   `xml:"updated_datetime" json:"updated_datetime"`
	ExpectedDatetime  string   `xml:"expected_datetime" json:"expected_datetime"`
	Address           string   `xml:"address" json:"address"`
	AddressID         string   `xml:"address_id" json:"address_id"`
	Zipcode           string   `xml:"zipcode" json:"zipcode"`
	Lat               *float64 `xml:"lat,omitempty" json:"lat"`
	Long              *float64 `xml:"long,omitempty" json:"long"`
	MediaURL          string   `xml:"media_url" json:"media_url"`
}

// closedStates are the lifecycle states Open311 calls closed: the body has
// answered (declined, replied, reviewed) or the matter is final. A review
// request reopens it.
var closedStates = []petition.State{petition.Declined, petition.Replied, petition.Reviewed, petition.Closed}

// Status maps a lifecycle state onto Open311's open/closed.
func Status(s petition.State) string {
	if slices.Contains(closedStates, s) {
		return "closed"
	}
	return "open"
}

var outcomeNames = map[string]string{petition.OutcomeSupport: "支持", petition.OutcomeExplain: "解释说明", petition.OutcomeReject: "不予支持"}

// statusNotes describes where the case stands, from workflow fields only
// (never the reply text or a decline reason, which may name people).
func statusNotes(p *petition.Petition, unit string) string {
	switch p.State {
	case petition.Registered:
		return "已登记，待受理"
	case petition.Accepted:
		return "已受理，待交办"
	case petition.Declined:
		return "不予受理"
	case petition.Assigned:
		return "已交办" + unit + "，待签收"
	case petition.Returned:
		return "承办单位已退回，重新交办中"
	case petition.Handling:
		return unit + "办理中"
	case petition.ExtensionRequested:
		return unit + "办理中（申请延期）"
	case petition.Replied:
		return "已书面答复（" + outcomeNames[p.ReplyOutcome] + "）"
	case petition.ReviewRequested:
		return "复查中"
	case petition.Reviewed:
		return "已复查（" + outcomeNames[p.ReviewOutcome] + "）"
	case petition.RereviewRequested:
		return "复核中"
	case petition.Closed:
		return "已办结"
	}
	return string(p.State)
}

// publicView builds the public face of a request.
func publicView(r store.PublicRequest, services []Service, tree *org.Tree) requestOut {
	p := &r.Petition
	s, _ := Lookup(services, r.ServiceCode)
	unit := ""
	if u, ok := tree.Unit(p.UnitID); ok {
		unit = u.Name
	}
	agency := unit
	if agency == "" {
		agency = "信访部门"
	}
	// Description: the service and its public attributes only; the
	// citizen's own words may name people and stay private.
	desc := s.Name
	for _, a := range s.Attributes {
		if a.Public && a.Code != DistrictAttribute && len(r.Attributes[a.Code]) > 0 {
			desc += "；" + a.Description + "：" + render(a, r.Attributes[a.Code])
		}
	}
	// Address: the district, not the street address (it may be a home).
	address := ""
	if d, ok := tree.ByCode(p.DistrictCode); ok {
		address = d.Name
		if parent, ok := tree.Parent(d.ID); ok && parent.Kind == org.KindCity {
			address = parent.Name + d.Name
		}
	}
	out := requestOut{
		ServiceRequestID: r.PetitionID, Status: Status(p.State), StatusNotes: statusNotes(p, unit),
		ServiceName: s.Name, ServiceCode: r.ServiceCode, Description: desc, AgencyResponsible: agency,
		RequestedDatetime: isoTime(p.ReceivedAt), UpdatedDatetime: isoTime(p.UpdatedAt), Address: address,
	}
	// Coordinates to about 100 m, enough to map, too coarse to find a door.
	if r.Lat != nil && r.Long != nil {
		la, lo := math.Round(*r.Lat*1000)/1000, math.Round(*r.Long*1000)/1000
		out.Lat, out.Long = &la, &lo
	}
	// expected_datetime: the earliest open statutory obligation, end of day.
	var next *petition.Deadline
	for i, d := range r.Deadlines {
		if d.Obligation && d.Open() && (next == nil || d.DueOn.Before(next.DueOn)) {
			next = &r.Deadlines[i]
		}
	}
	if next != nil && out.Status == "open" {
		out.ExpectedDatetime = isoTime(next.DueOn.EndOfDay())
	}
	return out
}

func (e *Endpoint) respondRequests(w http.ResponseWriter, r *http.Request, f format, rs []store.PublicRequest) {
	all, err := e.catalogue(r)
	if err != nil {
		fail(w, r, f, err)
		return
	}
	tree, err := e.st.Units(r.Context())
	if err != nil {
		fail(w, r, f, err)
		return
	}
	out := make([]requestOut, len(rs))
	for i, x := range rs {
		out[i] = publicView(x, all, tree)
	}
	writeList(w, r, f, http.StatusOK, out)
}

// requests is GET requests: a service_request_id list overrides every other
// filter; otherwise service_code, start_date/end_date (at most 90 days
// apart, default the last 90 days) and status, at most 1,000 rows.
func (e *Endpoint) requests(w http.ResponseWriter, r *http.Request, f format) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, f, failure.Invalid("", "the query could not be read"))
		return
	}
	flt, err := e.filter(r)
	if err != nil {
		fail(w, r, f, err)
		return
	}
	rs, err := e.st.Open311Requests(r.Context(), flt)
	if err != nil {
		fail(w, r, f, err)
		return
	}
	e.respondRequests(w, r, f, rs)
}

func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (e *Endpoint) filter(r *http.Request) (store.Open311Filter, error) {
	flt := store.Open311Filter{Limit: MaxRows}
	if err := e.checkJurisdiction(r); err != nil {
		return flt, err
	}
	if ids := list(arg(r, "service_request_id")); len(ids) > 0 {
		if len(ids) > MaxRows {
			return flt, failure.Invalid("service_request_id", "at most %d service_request_id values are allowed", MaxRows)
		}
		for _, s := range ids {
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				return flt, failure.Invalid("service_request_id", "service_request_id %q is not a request id", s)
			}
			flt.IDs = append(flt.IDs, id)
		}
		return flt, nil
	}
	flt.ServiceCodes = list(arg(r, "service_code"))
	var start, end time.Time
	var err error
	if s := arg(r, "start_date"); s != "" {
		if start, err = parseTime("start_date", s); err != nil {
			return flt, err
		}
	}
	if s := arg(r, "end_date"); s != "" {
		if end, err = parseTime("end_date", s); err != nil {
			return flt, err
		}
	}
	switch {
	case start.IsZero() && end.IsZero():
		end = e.svc.Now()
		start = end.Add(-MaxWindow)
	case end.IsZero():
		end = start.Add(MaxWindow)
	case start.IsZero():
		start = end.Add(-MaxWindow)
	}
	if end.Before(start) {
		return flt, failure.Invalid("end_date", "end_date is before start_date")
	}
	if end.Sub(start) > MaxWindow {
		return flt, failure.Invalid("end_date", "start_date and end_date may be at most 90 days apart")
	}
	flt.From, flt.To = start, end
	for _, s := range list(arg(r, "status")) {
		switch s {
		case "open":
			for _, st := range petition.States {
				if Status(st) == "open" {
					flt.States = append(flt.States, st)
				}
			}
		case "closed":
			flt.States = append(flt.States, closedStates...)
		default:
			return flt, failure.Invalid("status", "status %q is not open or closed", s)
		}
	}
	return flt, nil
}

// request is GET requests/{id}: a one-element list.
func (e *Endpoint) request(w http.ResponseWriter, r *http.Request) {
	name, f, ok := split(r.PathValue("file"))
	if !ok {
		writeErrors(w, r, f, http.StatusNotFound, "resource "+r.URL.Path+" not found; add .xml or .json")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(w, r, f, failure.Invalid("", "the query could not be read"))
		return
	}
	if err := e.checkJurisdiction(r); err != nil {
		fail(w, r, f, err)
		return
	}
	e.one(w, r, f, name)
}

func (e *Endpoint) one(w http.ResponseWriter, r *http.Request, f format, idText string) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		writeErrors(w, r, f, http.StatusNotFound, "service request "+idText+" not found")
		return
	}
	rs, err := e.st.Open311Requests(r.Context(), store.Open311Filter{IDs: []int64{id}})
	if err != nil {
		fail(w, r, f, err)
		return
	}
	if len(rs) == 0 {
		writeErrors(w, r, f, http.StatusNotFound, "service request "+idText+" not found")
		return
	}
	e.respondRequests(w, r, f, rs)
}

type tokenOut struct {
	ServiceRequestID int64  `xml:"service_request_id" json:"service_request_id"`
	Token            string `xml:"token" json:"token"`
}

// token is GET tokens/{token}.
func (e *Endpoint) token(w http.ResponseWriter, r *http.Request) {
	tok, f, ok := split(r.PathValue("file"))
	if !ok {
		writeErrors(w, r, f, http.StatusNotFound, "resource "+r.URL.Path+" not found; add .xml or .json")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(w, r, f, failure.Invalid("", "the query could not be read"))
		return
	}
	if err := e.checkJurisdiction(r); err != nil {
		fail(w, r, f, err)
		return
	}
	id, err := e.st.Open311RequestByToken(r.Context(), tok)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			writeErrors(w, r, f, http.StatusNotFound, "token "+tok+" not found")
			return
		}
		fail(w, r, f, err)
		return
	}
	writeList(w, r, f, http.StatusOK, []tokenOut{{ServiceRequestID: id, Token: tok}})
}
