package open311_test

// A conformance suite written from the Open311 GeoReport v2 specification
// (http://wiki.open311.org/GeoReport_v2): every resource in XML and JSON,
// the argument rules, the error format and statuses, plus redress's own
// promises (public reads never show personal data or accusations).

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/storetest"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type env struct {
	t   *testing.T
	st  *store.Store
	svc *lifecycle.Service
	org *storetest.Org
	clk *clock
	srv *httptest.Server
	key string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location)}
	svc := lifecycle.New(st, clk.Now)
	srv := httptest.NewServer(server.Handler(svc, server.Options{}))
	t.Cleanup(srv.Close)
	e := &env{t: t, st: st, svc: svc, org: o, clk: clk, srv: srv}
	if err := st.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		e.key, _, err = tx.CreateOpen311Key(store.System, "conformance")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return e
}

type resp struct {
	status int
	ctype  string
	body   string
}

func (e *env) get(path string) resp {
	e.t.Helper()
	res, err := http.Get(e.srv.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	return read(e.t, res)
}

func (e *env) post(path string, form url.Values) resp {
	e.t.Helper()
	res, err := http.Post(e.srv.URL+path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	return read(e.t, res)
}

func read(t *testing.T, res *http.Response) resp {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), body: string(b)}
}

// wellFormed checks a body is well-formed XML with the expected root.
func wellFormed(t *testing.T, r resp, root string) {
	t.Helper()
	if !strings.HasPrefix(r.ctype, "text/xml") {
		t.Errorf("content type %q, want text/xml", r.ctype)
	}
	dec := xml.NewDecoder(strings.NewReader(r.body))
	first := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("XML not well-formed: %v\n%s", err, r.body)
		}
		if se, ok := tok.(xml.StartElement); ok && first == "" {
			first = se.Name.Local
		}
	}
	if first != root {
		t.Fatalf("XML root %q, want %q\n%s", first, root, r.body)
	}
}

func jsonOf(t *testing.T, r resp, v any) {
	t.Helper()
	if !strings.HasPrefix(r.ctype, "application/json") {
		t.Errorf("content type %q, want application/json", r.ctype)
	}
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("JSON: %v\n%s", err, r.body)
	}
}

type xmlErrors struct {
	Errors []struct {
		Code        int    `xml:"code"`
		Description string `xml:"description"`
	} `xml:"error"`
}

// wantError checks the status and the standard's error body in format f.
func wantError(t *testing.T, r resp, f string, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
	}
	if f == "xml" {
		wellFormed(t, r, "errors")
		var x xmlErrors
		if err := xml.Unmarshal([]byte(r.body), &x); err != nil {
			t.Fatal(err)
		}
		if len(x.Errors) == 0 || x.Errors[0].Code != status || x.Errors[0].Description == "" {
			t.Fatalf("error body %s", r.body)
		}
		return
	}
	var j []struct {
		Code        int    `json:"code"`
		Description string `json:"description"`
	}
	jsonOf(t, r, &j)
	if len(j) == 0 || j[0].Code != status || j[0].Description == "" {
		t.Fatalf("error body %s", r.body)
	}
}

var formats = []string{"xml", "json"}

func TestDiscovery(t *testing.T) {
	e := newEnv(t)
	r := e.get("/open311/v2/discovery.xml")
	wellFormed(t, r, "discovery")
	var x struct {
		Changeset string `xml:"changeset"`
		Contact   string `xml:"contact"`
		Endpoints []struct {
			Specification string   `xml:"specification"`
			URL           string   `xml:"url"`
			Type          string   `xml:"type"`
			Formats       []string `xml:"formats>format"`
		} `xml:"endpoints>endpoint"`
	}
	if err := xml.Unmarshal([]byte(r.body), &x); err != nil {
		t.Fatal(err)
	}
	if len(x.Endpoints) != 1 || x.Endpoints[0].Specification != "http://wiki.open311.org/GeoReport_v2" ||
		!strings.HasSuffix(x.Endpoints[0].URL, "/open311/v2") || len(x.Endpoints[0].Formats) != 2 || x.Endpoints[0].Type != "production" {
		t.Fatalf("discovery %+v", x)
	}
	if _, err := time.Parse(time.RFC3339, x.Changeset); err != nil {
		t.Errorf("changeset %q is not ISO 8601 with a zone", x.Changeset)
	}
	var j map[string]any
	jsonOf(t, e.get("/open311/v2/discovery.json"), &j)
	for _, k := range []string{"changeset", "contact", "key_service", "endpoints"} {
		if _, ok := j[k]; !ok {
			t.Errorf("discovery.json lacks %s", k)
		}
	}
}

type xmlService struct {
	Code     string `xml:"service_code" json:"service_code"`
	Name     string `xml:"service_name" json:"service_name"`
	Desc     string `xml:"description" json:"description"`
	Metadata bool   `xml:"metadata" json:"metadata"`
	Type     string `xml:"type" json:"type"`
	Keywords string `xml:"keywords" json:"keywords"`
	Group    string `xml:"group" json:"group"`
}

func TestServices(t *testing.T) {
	e := newEnv(t)
	want := map[string]string{"heating": "供暖", "property": "物业", "noise": "噪音", "wage-arrears": "拖欠工资",
		"property-certificate": "房产证", "pollution": "环境污染", "roads": "道路", "other": "其他"}
	for _, f := range formats {
		r := e.get("/open311/v2/services." + f)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", f, r.status, r.body)
		}
		var ss []xmlService
		if f == "xml" {
			wellFormed(t, r, "services")
			var x struct {
				S []xmlService `xml:"service"`
			}
			if err := xml.Unmarshal([]byte(r.body), &x); err != nil {
				t.Fatal(err)
			}
			ss = x.S
		} else {
			jsonOf(t, r, &ss)
			var raw []map[string]any
			_ = json.Unmarshal([]byte(r.body), &raw)
			for _, k := range []string{"service_code", "service_name", "description", "metadata", "type", "keywords", "group"} {
				if _, ok := raw[0][k]; !ok {
					t.Errorf("services.json lacks %s", k)
				}
			}
		}
		if len(ss) != len(want) {
			t.Fatalf("%s: %d services", f, len(ss))
		}
		for _, s := range ss {
			if want[s.Code] != s.Name || !s.Metadata || s.Type != "realtime" {
				t.Errorf("%s: service %+v", f, s)
			}
		}
	}
	// jurisdiction_id: ours is accepted, sent empty is absent, another is refused.
	if r := e.get("/open311/v2/services.xml?jurisdiction_id=211400"); r.status != 200 {
		t.Errorf("jurisdiction_id=211400: %d", r.status)
	}
	if r := e.get("/open311/v2/services.xml?jurisdiction_id="); r.status != 200 {
		t.Errorf("empty jurisdiction_id: %d", r.status)
	}
	wantError(t, e.get("/open311/v2/services.xml?jurisdiction_id=110000"), "xml", 400)
}

type xmlAttr struct {
	Variable    bool   `xml:"variable" json:"variable"`
	Code        string `xml:"code" json:"code"`
	Datatype    string `xml:"datatype" json:"datatype"`
	Required    bool   `xml:"required" json:"required"`
	DTDesc      string `xml:"datatype_description" json:"datatype_description"`
	Order       int    `xml:"order" json:"order"`
	Description string `xml:"description" json:"description"`
	Values      []struct {
		Key  string `xml:"key" json:"key"`
		Name string `xml:"name" json:"name"`
	} `xml:"values>value" json:"values"`
}

type xmlDefinition struct {
	Code  string    `xml:"service_code" json:"service_code"`
	Attrs []xmlAttr `xml:"attributes>attribute" json:"attributes"`
}

func (e *env) definition(code, f string) xmlDefinition {
	e.t.Helper()
	r := e.get("/open311/v2/services/" + code + "." + f)
	if r.status != 200 {
		e.t.Fatalf("%s.%s: %d %s", code, f, r.status, r.body)
	}
	var d xmlDefinition
	if f == "xml" {
		wellFormed(e.t, r, "service_definition")
		if err := xml.Unmarshal([]byte(r.body), &d); err != nil {
			e.t.Fatal(err)
		}
	} else {
		jsonOf(e.t, r, &d)
	}
	return d
}

func TestServiceDefinitions(t *testing.T) {
	e := newEnv(t)
	for _, f := range formats {
		byCode := func(d xmlDefinition) map[string]xmlAttr {
			m := map[string]xmlAttr{}
			for i, a := range d.Attrs {
				if a.Order != i+1 || !a.Variable || a.Description == "" {
					t.Errorf("%s: attribute %+v", f, a)
				}
				m[a.Code] = a
			}
			return m
		}
		h := byCode(e.definition("heating", f))
		if h["room_temp"].Datatype != "number" || !h["room_temp"].Required || h["compound"].Datatype != "string" || h["compound"].Description != "小区" {
			t.Errorf("%s: heating %+v", f, h)
		}
		d := h["district"]
		if d.Datatype != "singlevaluelist" || !d.Required || len(d.Values) != 2 || d.Values[0].Key != "211402" || d.Values[0].Name != "连山区" {
			t.Errorf("%s: district attribute %+v", f, d)
		}
		w := byCode(e.definition("wage-arrears", f))
		if w["amount"].Datatype != "number" || w["amount"].Description != "欠薪金额（元）" || w["employer"].Datatype != "string" || w["since"].Datatype != "datetime" {
			t.Errorf("%s: wage arrears %+v", f, w)
		}
		n := byCode(e.definition("noise", f))
		if n["source"].Datatype != "singlevaluelist" || len(n["source"].Values) != 5 || n["time_of_day"].Datatype != "multivaluelist" || len(n["time_of_day"].Values) != 4 {
			t.Errorf("%s: noise %+v", f, n)
		}
		if def := e.definition("other", f); def.Code != "other" || len(def.Attrs) != 1 {
			t.Errorf("%s: other %+v", f, def)
		}
		wantError(t, e.get("/open311/v2/services/no-such-service."+f), f, 404)
	}
	// An unknown format is an unknown resource.
	wantError(t, e.get("/open311/v2/services/heating.yaml"), "xml", 404)
	wantError(t, e.get("/open311/v2/services/heating"), "xml", 404)
}

// heating is a valid heating request.
func (e *env) heating() url.Values {
	return url.Values{"api_key": {e.key}, "service_code": {"heating"}, "lat": {"40.711234"}, "long": {"120.836789"},
		"attribute[district]": {"211402"}, "attribute[room_temp]": {"14.5"}, "attribute[compound]": {"锦绣小区"},
		"description": {"家里暖气不热，室温只有14度。"}, "first_name": {"秀英"}, "last_name": {"王"}, "phone": {"13904291234"},
		"email": {"wang.xiuying@example.cn"}, "device_id": {"device-7788"}, "account_id": {"acct-4455"}}
}

type created struct {
	ID      int64  `xml:"service_request_id" json:"service_request_id"`
	Token   string `xml:"token" json:"token"`
	Notice  string `xml:"service_notice" json:"service_notice"`
	Account string `xml:"account_id" json:"account_id"`
}

func (e *env) create(f string, form url.Values) created {
	e.t.Helper()
	r := e.post("/open311/v2/requests."+f, form)
	if r.status != 200 {
		e.t.Fatalf("POST requests.%s: %d %s", f, r.status, r.body)
	}
	var out []created
	if f == "xml" {
		wellFormed(e.t, r, "service_requests")
		var x struct {
			R []created `xml:"request"`
		}
		if err := xml.Unmarshal([]byte(r.body), &x); err != nil {
			e.t.Fatal(err)
		}
		out = x.R
	} else {
		jsonOf(e.t, r, &out)
	}
	if len(out) != 1 || out[0].ID == 0 || out[0].Token == "" || out[0].Notice == "" {
		e.t.Fatalf("POST requests.%s answered %s", f, r.body)
	}
	return out[0]
}

func TestPostRequestFilesAPetition(t *testing.T) {
	e := newEnv(t)
	for _, f := range formats {
		c := e.create(f, e.heating())
		if c.Account != "acct-4455" {
			t.Errorf("%s: account_id %q", f, c.Account)
		}
		cs, err := e.st.Case(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := cs.Petition
		if p.Channel != "online" || p.DistrictCode != "211402" || p.State != petition.Registered || p.Accusation {
			t.Errorf("%s: petition %+v", f, p)
		}
		if cs.Petitioner.Name != "王秀英" || cs.Petitioner.Phone != "13904291234" {
			t.Errorf("%s: petitioner %+v", f, cs.Petitioner)
		}
		if !strings.Contains(p.Content, "室温（摄氏度）：14.5") || !strings.Contains(p.Title, "锦绣小区") {
			t.Errorf("%s: content %q title %q", f, p.Content, p.Title)
		}
		if cs.Deadline(deadline.Acknowledge) == nil || cs.Deadline(deadline.Assign) == nil {
			t.Errorf("%s: no statutory deadlines: %+v", f, cs.Deadlines)
		}
		if !strings.Contains(c.Notice, p.TrackingCode) {
			t.Errorf("%s: the notice does not give the tracking code: %s", f, c.Notice)
		}
	}
	res, err := e.st.VerifyAudit(context.Background(), nil)
	if err != nil || res.BrokenAt != 0 {
		t.Fatalf("audit: %+v %v", res, err)
	}
}

func TestPostRequestRules(t *testing.T) {
	e := newEnv(t)
	with := func(change func(url.Values)) url.Values {
		v := e.heating()
		change(v)
		return v
	}
	for _, f := range formats {
		path := "/open311/v2/requests." + f
		// 403: a missing, empty or unknown api_key.
		wantError(t, e.post(path, with(func(v url.Values) { v.Del("api_key") })), f, 403)
		wantError(t, e.post(path, with(func(v url.Values) { v.Set("api_key", "") })), f, 403)
		wantError(t, e.post(path, with(func(v url.Values) { v.Set("api_key", "o311_nope") })), f, 403)
		// 400: anything else.
		for name, change := range map[string]func(url.Values){
			"no service_code":        func(v url.Values) { v.Del("service_code") },
			"unknown service_code":   func(v url.Values) { v.Set("service_code", "unicorns") },
			"no location":            func(v url.Values) { v.Del("lat"); v.Del("long") },
			"empty location":         func(v url.Values) { v.Set("lat", ""); v.Set("long", "") },
			"lat without long":       func(v url.Values) { v.Del("long") },
			"lat out of range":       func(v url.Values) { v.Set("lat", "91") },
			"long not a number":      func(v url.Values) { v.Set("long", "east") },
			"description too long":   func(v url.Values) { v.Set("description", strings.Repeat("暖", 4001)) },
			"required attribute":     func(v url.Values) { v.Del("attribute[room_temp]") },
			"required sent empty":    func(v url.Values) { v.Set("attribute[compound]", "") },
			"district required":      func(v url.Values) { v.Del("attribute[district]") },
			"district not ours":      func(v url.Values) { v.Set("attribute[district]", "110101") },
			"number not a number":    func(v url.Values) { v.Set("attribute[room_temp]", "cold") },
			"unknown attribute":      func(v url.Values) { v.Set("attribute[colour]", "red") },
			"malformed attribute":    func(v url.Values) { v.Set("attribute[room_temp", "12") },
			"[] on a single value":   func(v url.Values) { v["attribute[compound][]"] = []string{"甲", "乙"}; v.Del("attribute[compound]") },
			"two values for one":     func(v url.Values) { v["attribute[compound]"] = []string{"甲", "乙"} },
			"bad email":              func(v url.Values) { v.Set("email", "not-an-address") },
			"bad media_url":          func(v url.Values) { v.Set("media_url", "javascript:alert(1)") },
			"bad phone":              func(v url.Values) { v.Set("phone", "call me") },
			"another jurisdiction":   func(v url.Values) { v.Set("jurisdiction_id", "110000") },
			"first_name too long":    func(v url.Values) { v.Set("first_name", strings.Repeat("名", 101)) },
			"address_string too big": func(v url.Values) { v.Del("lat"); v.Del("long"); v.Set("address_string", strings.Repeat("路", 301)) },
		} {
			r := e.post(path, with(change))
			if r.status != 400 {
				t.Errorf("%s %s: status %d, want 400: %s", f, name, r.status, r.body)
				continue
			}
			wantError(t, r, f, 400)
		}
		// Accepted variants: 4,000 characters, address only, address_id only,
		// our jurisdiction, and optional arguments sent empty (= absent).
		for name, change := range map[string]func(url.Values){
			"4000 characters": func(v url.Values) { v.Set("description", strings.Repeat("暖", 4000)) },
			"address_string": func(v url.Values) {
				v.Del("lat")
				v.Del("long")
				v.Set("address_string", "连山区锦绣小区3号楼")
			},
			"address_id":      func(v url.Values) { v.Del("lat"); v.Del("long"); v.Set("address_id", "HLD-000123") },
			"jurisdiction_id": func(v url.Values) { v.Set("jurisdiction_id", "211400") },
			"empty optional": func(v url.Values) {
				v.Set("email", "")
				v.Set("media_url", "")
				v.Set("phone", "")
				v.Set("jurisdiction_id", "")
			},
			"empty optional attr": func(v url.Values) { v.Set("attribute[heating_company]", "") },
			"no description":      func(v url.Values) { v.Del("description") },
			"anonymous":           func(v url.Values) { v.Del("first_name"); v.Del("last_name") },
			"media_url":           func(v url.Values) { v.Set("media_url", "https://img.example.cn/a.jpg") },
			"200-character value": func(v url.Values) { v.Set("attribute[compound]", strings.Repeat("苑", 200)) },
		} {
			r := e.post(path, with(change))
			if r.status != 200 {
				t.Errorf("%s %s: status %d, want 200: %s", f, name, r.status, r.body)
			}
		}
	}
}

func TestMultiValueAttributes(t *testing.T) {
	e := newEnv(t)
	noise := func() url.Values {
		return url.Values{"api_key": {e.key}, "service_code": {"noise"}, "address_string": {"龙湾大街"},
			"attribute[district]": {"211402"}, "attribute[source]": {"construction"}}
	}
	v := noise()
	v["attribute[time_of_day][]"] = []string{"evening", "night"}
	c := e.create("json", v)
	cs, err := e.st.Case(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cs.Petition.Content, "夜间、深夜") || !strings.Contains(cs.Petition.Content, "施工") {
		t.Fatalf("multi values not kept: %q", cs.Petition.Content)
	}
	// The public read lists them by name.
	r := e.get(fmt.Sprintf("/open311/v2/requests/%d.json", c.ID))
	if !strings.Contains(r.body, "夜间、深夜") {
		t.Errorf("public read lacks the multi values: %s", r.body)
	}
	// A single value sent as attribute[code] is also fine for a multivaluelist.
	v = noise()
	v.Set("attribute[time_of_day]", "day")
	e.create("xml", v)
	// A value not in the list is refused, even among good ones.
	v = noise()
	v["attribute[time_of_day][]"] = []string{"evening", "teatime"}
	wantError(t, e.post("/open311/v2/requests.xml", v), "xml", 400)
	// Required multivaluelist (pollution kind).
	p := url.Values{"api_key": {e.key}, "service_code": {"pollution"}, "address_id": {"X1"}, "attribute[district]": {"211481"}}
	wantError(t, e.post("/open311/v2/requests.json", p), "json", 400)
	p["attribute[kind][]"] = []string{"air", "odor", "air"}
	c = e.create("json", p)
	cs, _ = e.st.Case(context.Background(), c.ID)
	if !strings.Contains(cs.Petition.Content, "大气、异味") || strings.Count(cs.Petition.Content, "大气") != 1 {
		t.Errorf("pollution kinds: %q", cs.Petition.Content)
	}
}

type xmlRequest struct {
	ID       int64    `xml:"service_request_id" json:"service_request_id"`
	Status   string   `xml:"status" json:"status"`
	Notes    string   `xml:"status_notes" json:"status_notes"`
	Name     string   `xml:"service_name" json:"service_name"`
	Code     string   `xml:"service_code" json:"service_code"`
	Desc     string   `xml:"description" json:"description"`
	Agency   string   `xml:"agency_responsible" json:"agency_responsible"`
	Notice   string   `xml:"service_notice" json:"service_notice"`
	Req      string   `xml:"requested_datetime" json:"requested_datetime"`
	Upd      string   `xml:"updated_datetime" json:"updated_datetime"`
	Expected string   `xml:"expected_datetime" json:"expected_datetime"`
	Address  string   `xml:"address" json:"address"`
	AddrID   string   `xml:"address_id" json:"address_id"`
	Zip      string   `xml:"zipcode" json:"zipcode"`
	Lat      *float64 `xml:"lat" json:"lat"`
	Long     *float64 `xml:"long" json:"long"`
	Media    string   `xml:"media_url" json:"media_url"`
}

func (e *env) list(path, f string) []xmlRequest {
	e.t.Helper()
	r := e.get(path)
	if r.status != 200 {
		e.t.Fatalf("GET %s: %d %s", path, r.status, r.body)
	}
	var out []xmlRequest
	if f == "xml" {
		wellFormed(e.t, r, "service_requests")
		var x struct {
			R []xmlRequest `xml:"request"`
		}
		if err := xml.Unmarshal([]byte(r.body), &x); err != nil {
			e.t.Fatal(err)
		}
		out = x.R
	} else {
		jsonOf(e.t, r, &out)
	}
	return out
}

func ids(rs []xmlRequest) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestGetRequestsFieldsAndPrivacy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	v := e.heating()
	v.Set("media_url", "https://img.example.cn/wang-family.jpg")
	v.Set("address_string", "连山区锦绣小区3号楼2单元501")
	first := e.create("json", v)
	e.clk.Add(time.Hour)
	second := e.create("xml", e.heating())

	// Drive the first through to a reply: then it is closed.
	bureau, zjj := e.org.Users["bureau"], e.org.Users["zjj"]
	for _, step := range []struct {
		u  org.User
		a  lifecycle.Action
		in lifecycle.Input
	}{
		{bureau, lifecycle.Accept, lifecycle.Input{}},
		{bureau, lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"}},
		{zjj, lifecycle.Sign, lifecycle.Input{}},
	} {
		if _, err := e.svc.Do(ctx, step.u, first.ID, step.a, step.in); err != nil {
			t.Fatalf("%s: %v", step.a, err)
		}
	}
	cs, _ := e.st.Case(ctx, first.ID)
	replyDue := cs.Deadline(deadline.Reply).DueOn

	for _, f := range formats {
		rs := e.list("/open311/v2/requests."+f, f)
		if len(rs) != 2 || rs[0].ID != second.ID || rs[1].ID != first.ID {
			t.Fatalf("%s: list %v", f, ids(rs))
		}
		h := rs[1]
		if h.Status != "open" || h.Code != "heating" || h.Name != "供暖" || h.Agency != "市住建局" || !strings.Contains(h.Notes, "市住建局办理中") {
			t.Errorf("%s: request %+v", f, h)
		}
		if h.Expected != replyDue.EndOfDay().Format(time.RFC3339) {
			t.Errorf("%s: expected_datetime %q, want the reply deadline %s", f, h.Expected, replyDue)
		}
		for _, s := range []string{h.Req, h.Upd, h.Expected} {
			if !strings.HasSuffix(s, "+08:00") {
				t.Errorf("%s: datetime %q lacks the zone", f, s)
			}
		}
		if h.Lat == nil || *h.Lat != 40.711 || h.Long == nil || *h.Long != 120.837 {
			t.Errorf("%s: coordinates not coarsened: %v %v", f, h.Lat, h.Long)
		}
		if h.Address != "葫芦岛市连山区" || !strings.Contains(h.Desc, "锦绣小区") {
			t.Errorf("%s: address %q description %q", f, h.Address, h.Desc)
		}
		if rs[0].Agency != "信访部门" || rs[0].Notes != "已登记，待受理" {
			t.Errorf("%s: new request %+v", f, rs[0])
		}
		// Nothing personal, ever.
		body := e.get("/open311/v2/requests." + f).body
		for _, secret := range []string{"王", "秀英", "13904291234", "wang.xiuying", "device-7788", "acct-4455", "暖气不热",
			"501", "wang-family", cs.Petition.TrackingCode} {
			if strings.Contains(body, secret) {
				t.Errorf("%s: public read shows %q", f, secret)
			}
		}
	}
	if _, err := e.svc.Do(ctx, zjj, first.ID, lifecycle.Reply, lifecycle.Input{Outcome: "support", Text: "已督促供暖公司整改，室温已达标。"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range formats {
		closed := e.list("/open311/v2/requests."+f+"?status=closed", f)
		if len(closed) != 1 || closed[0].ID != first.ID || closed[0].Expected != "" || closed[0].Notes != "已书面答复（支持）" {
			t.Errorf("%s: closed %+v", f, closed)
		}
		open := e.list("/open311/v2/requests."+f+"?status=open", f)
		if len(open) != 1 || open[0].ID != second.ID {
			t.Errorf("%s: open %v", f, ids(open))
		}
		if both := e.list("/open311/v2/requests."+f+"?status=open,closed", f); len(both) != 2 {
			t.Errorf("%s: open,closed %v", f, ids(both))
		}
		if empty := e.list("/open311/v2/requests."+f+"?status=&service_code=&start_date=&end_date=", f); len(empty) != 2 {
			t.Errorf("%s: empty optional args are not absent: %v", f, ids(empty))
		}
		if none := e.list("/open311/v2/requests."+f+"?service_code=noise,roads", f); len(none) != 0 {
			t.Errorf("%s: service_code filter %v", f, ids(none))
		}
		if two := e.list("/open311/v2/requests."+f+"?service_code=noise,heating", f); len(two) != 2 {
			t.Errorf("%s: service_code list %v", f, ids(two))
		}
		// service_request_id overrides every other filter.
		q := fmt.Sprintf("?service_request_id=%d,%d&status=open&service_code=noise&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z", first.ID, second.ID)
		if got := e.list("/open311/v2/requests."+f+q, f); len(got) != 2 {
			t.Errorf("%s: service_request_id did not override: %v", f, ids(got))
		}
		wantError(t, e.get("/open311/v2/requests."+f+"?status=pending"), f, 400)
		wantError(t, e.get("/open311/v2/requests."+f+"?service_request_id=abc"), f, 400)

		// requests/{id}: a one-element list.
		one := e.list(fmt.Sprintf("/open311/v2/requests/%d.%s", first.ID, f), f)
		if len(one) != 1 || one[0].ID != first.ID || one[0].Status != "closed" {
			t.Errorf("%s: requests/{id} %+v", f, one)
		}
		wantError(t, e.get("/open311/v2/requests/999999."+f), f, 404)
		wantError(t, e.get("/open311/v2/requests/abc."+f), f, 404)

		// tokens/{token}
		r := e.get("/open311/v2/tokens/" + first.Token + "." + f)
		if r.status != 200 || !strings.Contains(r.body, fmt.Sprint(first.ID)) || !strings.Contains(r.body, first.Token) {
			t.Errorf("%s: token: %d %s", f, r.status, r.body)
		}
		if f == "xml" {
			wellFormed(t, r, "service_requests")
		}
		wantError(t, e.get("/open311/v2/tokens/nosuchtoken."+f), f, 404)
		// Unknown resources.
		wantError(t, e.get("/open311/v2/nothing."+f), f, 404)
		wantError(t, e.post("/open311/v2/services."+f, url.Values{"api_key": {e.key}}), f, 404)
	}
}

func TestRequestsWindow(t *testing.T) {
	e := newEnv(t)
	now := e.clk.Now()
	e.clk.Add(-100 * 24 * time.Hour)
	old := e.create("json", e.heating())
	e.clk.Add(100 * 24 * time.Hour)
	recent := e.create("json", e.heating())
	day := func(d time.Time) string { return url.QueryEscape(d.Format(time.RFC3339)) }
	for _, f := range formats {
		base := "/open311/v2/requests." + f
		if got := ids(e.list(base, f)); len(got) != 1 || got[0] != recent.ID {
			t.Errorf("%s: default window (last 90 days): %v", f, got)
		}
		got := ids(e.list(base+"?start_date="+day(now.AddDate(0, 0, -120))+"&end_date="+day(now.AddDate(0, 0, -60)), f))
		if len(got) != 1 || got[0] != old.ID {
			t.Errorf("%s: explicit window: %v", f, got)
		}
		// start_date alone: 90 days from it.
		got = ids(e.list(base+"?start_date="+day(now.AddDate(0, 0, -101)), f))
		if len(got) != 1 || got[0] != old.ID {
			t.Errorf("%s: start_date only: %v", f, got)
		}
		// end_date alone: 90 days up to it.
		got = ids(e.list(base+"?end_date="+day(now.AddDate(0, 0, -95)), f))
		if len(got) != 1 || got[0] != old.ID {
			t.Errorf("%s: end_date only: %v", f, got)
		}
		// A bare date and a Z time are ISO 8601 too.
		if got := e.list(base+"?start_date="+now.AddDate(0, 0, -1).Format("2006-01-02")+"&end_date="+now.UTC().Add(time.Hour).Format("2006-01-02T15:04:05Z"), f); len(got) != 1 {
			t.Errorf("%s: date forms: %v", f, ids(got))
		}
		wantError(t, e.get(base+"?start_date="+day(now.AddDate(0, 0, -91))+"&end_date="+day(now)), f, 400)
		wantError(t, e.get(base+"?start_date="+day(now)+"&end_date="+day(now.AddDate(0, 0, -1))), f, 400)
		wantError(t, e.get(base+"?start_date=yesterday"), f, 400)
		if r := e.get(base + "?start_date=" + day(now.AddDate(0, 0, -90)) + "&end_date=" + day(now)); r.status != 200 {
			t.Errorf("%s: exactly 90 days refused: %s", f, r.body)
		}
	}
}

// seed stores n Open311 requests in one transaction (as POST would).
func (e *env) seed(n int, rec intake.Record) []int64 {
	e.t.Helper()
	ctx := context.Background()
	var ids []int64
	err := e.st.Write(ctx, func(tx *store.Tx) error {
		for i := range n {
			p, err := e.svc.Prepare(ctx, rec, false)
			if err != nil {
				return err
			}
			reg, err := e.svc.RegisterTx(tx, org.User{}, p)
			if err != nil {
				return err
			}
			ids = append(ids, reg.ID)
			if err := tx.InsertOpen311Request(store.System, &store.Open311Request{PetitionID: reg.ID, Token: fmt.Sprintf("seed%d", i),
				ServiceCode: "roads", KeyID: 1, AddressID: "R1", Attributes: map[string][]string{"district": {"211402"}, "issue": {"pothole"}},
				CreatedAt: e.clk.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return ids
}

func roadRecord(at time.Time) intake.Record {
	return intake.Record{ReceivedAt: at, Channel: "online", PetitionerName: "匿名", DistrictCode: "211402",
		Address: "R1", Title: "道路", Content: "坑洼破损"}
}

func TestAtMost1000Rows(t *testing.T) {
	e := newEnv(t)
	ids := e.seed(1001, roadRecord(e.clk.Now()))
	for _, f := range formats {
		rs := e.list("/open311/v2/requests."+f, f)
		if len(rs) != 1000 {
			t.Fatalf("%s: %d rows, want 1000", f, len(rs))
		}
		if rs[0].ID != ids[len(ids)-1] || rs[0].Code != "roads" || !strings.Contains(rs[0].Desc, "坑洼破损") {
			t.Errorf("%s: first row %+v, want the newest", f, rs[0])
		}
	}
}

func TestAccusationsAreNeverPublic(t *testing.T) {
	e := newEnv(t)
	rec := roadRecord(e.clk.Now())
	rec.Accusation, rec.AccusedUnitCode = true, "211400-zjj"
	acc := e.seed(1, rec)[0]
	plain := e.create("json", e.heating())
	// A petition that did not come through Open311 is not an Open311 request.
	reg, err := e.svc.Register(context.Background(), e.org.Users["bureau"], roadRecord(e.clk.Now()), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range formats {
		if got := ids(e.list("/open311/v2/requests."+f, f)); len(got) != 1 || got[0] != plain.ID {
			t.Errorf("%s: list shows %v", f, got)
		}
		if got := ids(e.list(fmt.Sprintf("/open311/v2/requests.%s?service_request_id=%d,%d", f, acc, plain.ID), f)); len(got) != 1 || got[0] != plain.ID {
			t.Errorf("%s: id list shows %v", f, got)
		}
		wantError(t, e.get(fmt.Sprintf("/open311/v2/requests/%d.%s", acc, f)), f, 404)
		wantError(t, e.get(fmt.Sprintf("/open311/v2/requests/%d.%s", reg.ID, f)), f, 404)
		wantError(t, e.get("/open311/v2/tokens/seed0."+f), f, 404)
	}
}

func TestAdminIssuesKeys(t *testing.T) {
	e := newEnv(t)
	tok := map[string]string{}
	for _, login := range []string{"admin", "bureau"} {
		if err := e.st.Write(context.Background(), func(tx *store.Tx) error {
			var err error
			tok[login], err = tx.CreateToken(store.System, e.org.Users[login].ID, "t", nil)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	call := func(who string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/open311/keys", bytes.NewReader([]byte(`{"name":"12345 app"}`)))
		req.Header.Set("Authorization", "Bearer "+tok[who])
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(res.Body).Decode(&m)
		return res.StatusCode, m
	}
	if st, _ := call("bureau"); st != 403 {
		t.Errorf("bureau issued a key: %d", st)
	}
	st, m := call("admin")
	key, _ := m["api_key"].(string)
	if st != 201 || !strings.HasPrefix(key, store.Open311KeyPrefix) {
		t.Fatalf("admin: %d %v", st, m)
	}
	v := e.heating()
	v.Set("api_key", key)
	e.create("xml", v)
}

func TestOversizedPostIs400(t *testing.T) {
	e := newEnv(t)
	v := e.heating()
	v.Set("description", strings.Repeat("x", 70<<10))
	wantError(t, e.post("/open311/v2/requests.json", v), "json", 400)
}

// A request filed through Open311 is an ordinary petition: its petitioner
// follows it in the portal with the tracking code from service_notice.
func TestFiledRequestIsTrackedInThePortal(t *testing.T) {
	e := newEnv(t)
	c := e.create("xml", e.heating())
	cs, err := e.st.Case(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.PostForm(e.srv.URL+"/portal/track", url.Values{"code": {cs.Petition.TrackingCode}, "phone": {"13904291234"}})
	if err != nil {
		t.Fatal(err)
	}
	r := read(t, res)
	if r.status != 200 || !strings.Contains(r.body, "供暖：锦绣小区") {
		t.Fatalf("portal: %d %s", r.status, r.body)
	}
}
