package open311

import (
	"encoding/xml"
	"net/http"
	"strings"
)

// Changeset is when the catalogue or the endpoint last changed.
const Changeset = "2026-12-01T00:00:00+08:00"

type endpointOut struct {
	Specification string   `xml:"specification" json:"specification"`
	URL           string   `xml:"url" json:"url"`
	Changeset     string   `xml:"changeset" json:"changeset"`
	Type          string   `xml:"type" json:"type"`
	Formats       []string `xml:"formats>format" json:"formats"`
}

type discoveryOut struct {
	XMLName    xml.Name      `xml:"discovery" json:"-"`
	Changeset  string        `xml:"changeset" json:"changeset"`
	Contact    string        `xml:"contact" json:"contact"`
	KeyService string        `xml:"key_service" json:"key_service"`
	Endpoints  []endpointOut `xml:"endpoints>endpoint" json:"endpoints"`
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + Prefix
}

func (e *Endpoint) discovery(w http.ResponseWriter, r *http.Request, f format) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, f, err)
		return
	}
	write(w, r, f, http.StatusOK, discoveryOut{
		Changeset: Changeset, Contact: e.o.Contact,
		KeyService: "api_key 由系统管理员签发：redress open311 key create --name 应用名称",
		Endpoints: []endpointOut{{
			Specification: "http://wiki.open311.org/GeoReport_v2", URL: baseURL(r), Changeset: Changeset, Type: "production",
			Formats: []string{"text/xml", "application/json"},
		}},
	})
}

type serviceOut struct {
	ServiceCode string `xml:"service_code" json:"service_code"`
	ServiceName string `xml:"service_name" json:"service_name"`
	Description string `xml:"description" json:"description"`
	Metadata    bool   `xml:"metadata" json:"metadata"`
	Type        string `xml:"type" json:"type"`
	Keywords    string `xml:"keywords" json:"keywords"`
	Group       string `xml:"group" json:"group"`
}

type servicesXML struct {
	XMLName  xml.Name     `xml:"services"`
	Services []serviceOut `xml:"service"`
}

func (e *Endpoint) catalogue(r *http.Request) ([]Service, error) {
	tree, err := e.st.Units(r.Context())
	if err != nil {
		return nil, err
	}
	return Services(tree), nil
}

func (e *Endpoint) services(w http.ResponseWriter, r *http.Request, f format) {
	if err := r.ParseForm(); err != nil {
		fail(w, r, f, err)
		return
	}
	if err := e.checkJurisdiction(r); err != nil {
		fail(w, r, f, err)
		return
	}
	all, err := e.catalogue(r)
	if err != nil {
		fail(w, r, f, err)
		return
	}
	out := make([]serviceOut, len(all))
	for i, s := range all {
		// "realtime": the request is registered at once and its id returned.
		out[i] = serviceOut{ServiceCode: s.Code, ServiceName: s.Name, Description: s.Description,
			Metadata: len(s.Attributes) > 0, Type: "realtime", Keywords: s.Keywords, Group: s.Group}
	}
	if f == formatJSON {
		write(w, r, f, http.StatusOK, out)
		return
	}
	write(w, r, f, http.StatusOK, servicesXML{Services: out})
}

type attributeOut struct {
	Variable            bool    `xml:"variable" json:"variable"`
	Code                string  `xml:"code" json:"code"`
	Datatype            string  `xml:"datatype" json:"datatype"`
	Required            bool    `xml:"required" json:"required"`
	DatatypeDescription string  `xml:"datatype_description" json:"datatype_description"`
	Order               int     `xml:"order" json:"order"`
	Description         string  `xml:"description" json:"description"`
	Values              []Value `xml:"values>value" json:"values"`
}

type definitionOut struct {
	XMLName     xml.Name       `xml:"service_definition" json:"-"`
	ServiceCode string         `xml:"service_code" json:"service_code"`
	Attributes  []attributeOut `xml:"attributes>attribute" json:"attributes"`
}

var datatypeDescriptions = map[string]string{
	TypeNumber:   "数字，例如 12 或 3500.5",
	TypeDatetime: "ISO 8601 日期时间，含时区，例如 2026-01-15T08:00:00+08:00",
	TypeMulti:    "可多选：attribute[code][]=key，每个取值一项",
	TypeSingle:   "单选：attribute[code]=key",
}

func (e *Endpoint) serviceDefinition(w http.ResponseWriter, r *http.Request) {
	code, f, ok := split(r.PathValue("file"))
	if !ok {
		writeErrors(w, r, f, http.StatusNotFound, "resource "+r.URL.Path+" not found; add .xml or .json")
		return
	}
	if err := r.ParseForm(); err != nil {
		fail(w, r, f, err)
		return
	}
	if err := e.checkJurisdiction(r); err != nil {
		fail(w, r, f, err)
		return
	}
	all, err := e.catalogue(r)
	if err != nil {
		fail(w, r, f, err)
		return
	}
	s, found := Lookup(all, code)
	if !found {
		writeErrors(w, r, f, http.StatusNotFound, "service "+strings.TrimSpace(code)+" not found")
		return
	}
	out := definitionOut{ServiceCode: s.Code, Attributes: []attributeOut{}}
	for i, a := range s.Attributes {
		vals := a.Values
		if vals == nil {
			vals = []Value{}
		}
		out.Attributes = append(out.Attributes, attributeOut{Variable: true, Code: a.Code, Datatype: a.Datatype, Required: a.Required,
			DatatypeDescription: datatypeDescriptions[a.Datatype], Order: i + 1, Description: a.Description, Values: vals})
	}
	write(w, r, f, http.StatusOK, out)
}
