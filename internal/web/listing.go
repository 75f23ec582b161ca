package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// listForm is a petition list's filter as the user typed it.
type listForm struct {
	State    string
	Unit     string
	District string
	Channel  string
	Overdue  bool
	From, To string
	Q        string
}

// Query is the filter as URL parameters (without the cursor), safe to put
// after "?" in a link.
func (f listForm) Query() template.URL {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("state", f.State)
	set("unit", f.Unit)
	set("district", f.District)
	set("channel", f.Channel)
	if f.Overdue {
		v.Set("overdue", "1")
	}
	set("from", f.From)
	set("to", f.To)
	set("q", f.Q)
	return template.URL(v.Encode())
}

// readListForm parses the filter parameters into a store filter scoped to
// what s may see. The error names the field at fault.
func (w *Web) readListForm(r *http.Request, s *session) (listForm, store.Filter, error) {
	q := r.URL.Query()
	lf := listForm{State: q.Get("state"), Unit: q.Get("unit"), District: q.Get("district"), Channel: q.Get("channel"),
		Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true", From: q.Get("from"), To: q.Get("to"), Q: strings.TrimSpace(q.Get("q"))}
	f := store.Filter{Today: w.svc.Today(), Scope: access.Scope(s.user, s.tree), Query: lf.Q, Cursor: q.Get("cursor"),
		District: lf.District, Channel: lf.Channel}
	if lf.State != "" {
		if !petition.State(lf.State).Valid() {
			return lf, f, failure.Invalid("state", "state %q does not exist", lf.State)
		}
		f.State = petition.State(lf.State)
	}
	if lf.Channel != "" && !slices.Contains(petition.Channels, lf.Channel) {
		return lf, f, failure.Invalid("channel", "channel %q does not exist", lf.Channel)
	}
	if lf.District != "" && !s.tree.IsDistrict(lf.District) {
		return lf, f, failure.Invalid("district", "district %q does not exist", lf.District)
	}
	if lf.Unit != "" {
		u, ok := s.tree.ByCode(lf.Unit)
		if !ok {
			return lf, f, failure.Invalid("unit", "unit %q does not exist", lf.Unit)
		}
		f.UnitIDs = s.tree.Subtree(u.ID)
	}
	if lf.Overdue {
		b := true
		f.Overdue = &b
	}
	for _, x := range []struct {
		name string
		s    string
		dst  *calendar.Date
	}{{"from", lf.From, &f.From}, {"to", lf.To, &f.To}} {
		if x.s == "" {
			continue
		}
		d, err := calendar.ParseDate(x.s)
		if err != nil {
			return lf, f, failure.Invalid(x.name, "%v", err)
		}
		*x.dst = d
	}
	if f.Cursor != "" {
		if _, err := store.DecodeCursor(f.Cursor); err != nil {
			return lf, f, failure.Invalid("cursor", "%v", err)
		}
	}
	return lf, f, nil
}

// list reads one page and masks each row for s, like the API does.
func (w *Web) list(ctx context.Context, s *session, f store.Filter) (store.Page, error) {
	page, err := w.st.ListPetitions(ctx, f)
	if err != nil {
		return page, err
	}
	maskSummaries(s.user, page.Items)
	return page, nil
}

func maskSummaries(u org.User, items []store.Summary) {
	for i := range items {
		it := &items[i]
		lvl := access.LevelFor(u, &it.Petition)
		it.PetitionerName = access.MaskPetitioner(petition.Petitioner{Name: it.PetitionerName}, lvl).Name
		if lvl != access.Full {
			it.Petition.PetitionerID = 0
			if lvl != access.Contact {
				it.Petition.Address = access.MaskAddress(it.Petition.Address)
			}
		}
		it.Content = ""
	}
}

// countCap bounds the rows counted for a home-page figure.
const countCap = 20000

// count returns how many rows match f (at most countCap) and, when byUnit
// is set, how many per responsible unit, counted in the database.
func (w *Web) count(ctx context.Context, f store.Filter, byUnit map[int64]int) (int, error) {
	return w.st.CountPetitions(ctx, f, countCap, byUnit)
}

// pathID reads the {id} path value.
func pathID(r *http.Request) (int64, error) { return idOf(r, "id", "petition") }

// formRead parses a posted form; when it cannot be read, the user is told
// and false returned.
func (w *Web) formRead(rw http.ResponseWriter, r *http.Request, s *session) bool {
	if err := r.ParseForm(); err != nil {
		w.fail(rw, r, s, failure.Invalid("", "the form could not be read"))
		return false
	}
	return true
}

// idOf reads the positive number in path parameter name; anything else is
// "what not found".
func idOf(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, failure.NotFound(what)
	}
	return id, nil
}

func scopeOf(s *session) *store.Scope { return access.Scope(s.user, s.tree) }
