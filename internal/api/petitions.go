package api

import (
	"errors"
	"net/http"
	"strconv"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/respond"
	"redress/internal/store"
)

// DeadlineView is a deadline with what a person needs to act on it.
type DeadlineView struct {
	petition.Deadline
	Article         string `json:"article"`
	Name            string `json:"name"`
	WorkingDaysLeft int    `json:"working_days_left"`
	Overdue         bool   `json:"overdue"`
}

// CaseView is a case as the caller may see it.
type CaseView struct {
	Petition    petition.Petition     `json:"petition"`
	Petitioner  petition.Petitioner   `json:"petitioner"`
	Assignments []petition.Assignment `json:"assignments"`
	Deadlines   []DeadlineView        `json:"deadlines"`
	Events      []petition.Event      `json:"timeline"`
	Overdue     bool                  `json:"overdue"`
	MatterFinal bool                  `json:"matter_final"`
	Allowed     []lifecycle.Action    `json:"allowed_actions"`
}

// View builds what user sees of c.
func View(svc *lifecycle.Service, cal *calendar.Calendar, tree *org.Tree, u org.User, c *petition.Case) CaseView {
	m := access.MaskCase(u, c)
	today := svc.Today()
	v := CaseView{Petition: m.Petition, Petitioner: m.Petitioner, Assignments: m.Assignments, Events: m.Events,
		Overdue: c.Overdue(today), MatterFinal: c.MatterFinal != nil, Allowed: svc.Allowed(u, tree, c)}
	if v.Assignments == nil {
		v.Assignments = []petition.Assignment{}
	}
	if v.Allowed == nil {
		v.Allowed = []lifecycle.Action{}
	}
	if access.LevelFor(u, &c.Petition) == access.Hidden {
		// Hide who acted on behalf of the petitioner's identity too: notes stay, names of the petitioner do not appear in events.
		v.Petition.Address = ""
	}
	for _, d := range c.Deadlines {
		info, _ := deadline.Lookup(d.Kind)
		dv := DeadlineView{Deadline: d, Article: info.Article, Name: info.NameZH, Overdue: d.Overdue(today)}
		if d.Open() {
			dv.WorkingDaysLeft = cal.WorkingDaysBetween(today, d.DueOn)
		}
		v.Deadlines = append(v.Deadlines, dv)
	}
	return v
}

func (a *API) createPetition(w http.ResponseWriter, r *http.Request, u org.User) {
	rec, ok := decodeAs[intake.Record](a, w, r)
	if !ok {
		return
	}
	if rec.ReceivedAt.IsZero() {
		rec.ReceivedAt = a.svc.Now()
	}
	res, err := a.svc.Register(r.Context(), u, rec, false)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Existing {
		status = http.StatusOK
		c, err := a.st.Case(r.Context(), res.ID)
		if err != nil {
			respond.Error(w, r, err)
			return
		}
		res.TrackingCode, res.State, res.Deadlines = c.Petition.TrackingCode, c.Petition.State, c.Deadlines
	}
	w.Header().Set("Location", "/api/v1/petitions/"+strconv.FormatInt(res.ID, 10))
	respond.JSON(w, r, status, res)
}

// loadVisible reads a case and checks the caller may see it; a case the
// caller may not see is reported as not found, revealing nothing.
func (a *API) loadVisible(r *http.Request, u org.User, id int64) (*petition.Case, *org.Tree, error) {
	tree, err := a.st.Units(r.Context())
	if err != nil {
		return nil, nil, err
	}
	c, err := a.st.Case(r.Context(), id)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil, failure.NotFound("petition")
		}
		return nil, nil, err
	}
	if !access.CanSee(u, tree, c) {
		return nil, nil, failure.NotFound("petition")
	}
	return c, tree, nil
}

func (a *API) getPetition(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := pathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	c, tree, err := a.loadVisible(r, u, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	cal, err := a.st.Calendar(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, View(a.svc, cal, tree, u, c))
}

func (a *API) petitionAction(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := pathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	act, ok := lifecycle.ParseAction(r.PathValue("action"))
	if !ok {
		respond.Error(w, r, failure.NotFound("action "+strconv.Quote(r.PathValue("action"))))
		return
	}
	var in lifecycle.Input
	if r.ContentLength != 0 {
		if err := a.decode(w, r, &in); err != nil {
			respond.Error(w, r, err)
			return
		}
	}
	c, err := a.svc.Do(r.Context(), u, id, act, in)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	tree, err := a.st.Units(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	cal, err := a.st.Calendar(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusOK, View(a.svc, cal, tree, u, c))
}

func (a *API) listPetitions(w http.ResponseWriter, r *http.Request, u org.User) {
	q := r.URL.Query()
	tree, err := a.st.Units(r.Context())
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	f := store.Filter{Today: a.svc.Today(), Scope: access.Scope(u, tree), Query: q.Get("q"), Cursor: q.Get("cursor"),
		District: q.Get("district"), Channel: q.Get("channel")}
	if s := q.Get("state"); s != "" {
		if !petition.State(s).Valid() {
			respond.Error(w, r, failure.Invalid("state", "state %q does not exist", s))
			return
		}
		f.State = petition.State(s)
	}
	if s := q.Get("unit"); s != "" {
		unit, ok := tree.ByCode(s)
		if !ok {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				unit, ok = tree.Unit(id)
			}
		}
		if !ok {
			respond.Error(w, r, failure.Invalid("unit", "unit %q does not exist (give its id or code)", s))
			return
		}
		f.UnitIDs = tree.Subtree(unit.ID)
	}
	if s := q.Get("overdue"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			respond.Error(w, r, failure.Invalid("overdue", "overdue must be true or false"))
			return
		}
		f.Overdue = &b
	}
	for name, dst := range map[string]*calendar.Date{"from": &f.From, "to": &f.To} {
		if s := q.Get(name); s != "" {
			d, err := calendar.ParseDate(s)
			if err != nil {
				respond.Error(w, r, failure.Invalid(name, "%v", err))
				return
			}
			*dst = d
		}
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			respond.Error(w, r, failure.Invalid("limit", "limit must be between 1 and 500"))
			return
		}
		f.Limit = n
	}
	if f.Cursor != "" {
		if _, err := store.DecodeCursor(f.Cursor); err != nil {
			respond.Error(w, r, failure.Invalid("cursor", "%v", err))
			return
		}
	}
	page, err := a.st.ListPetitions(r.Context(), f)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	for i := range page.Items {
		it := &page.Items[i]
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
	if page.Items == nil {
		page.Items = []store.Summary{}
	}
	respond.JSON(w, r, http.StatusOK, page)
}
