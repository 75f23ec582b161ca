package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"redress/internal/calendar"
	"redress/internal/commitments"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/store"
)

// accCommitmentsPage is a year's leaders' commitments with their progress
// and review, and the register of key livelihood problems (老大难) each led
// by a leader, with how many are solved.
type accCommitmentsPage struct {
	Year     int
	Years    []int
	Items    []store.Commitment
	Leads    []accLead
	Units    []org.Unit
	Kinds    []string
	CanKeep  bool
	Done     string
	Names    map[int64]string
	Achieved int
	Missed   int
	Open     int
}

// accLead is one leader's line in the problem register.
type accLead struct {
	Name      string
	Problems  []store.Problem
	Solved    int
	Petitions int
	Open      int
}

func accCanKeep(u org.User) bool { return slices.Contains(accKeepers, u.Role) }

func (w *Web) accCommitmentsData(ctx context.Context, s *session, yearArg string) (accCommitmentsPage, error) {
	this := calendar.DateOf(w.svc.Now()).Year()
	p := accCommitmentsPage{Year: this, Years: []int{this - 1, this, this + 1}, Kinds: commitments.Kinds, CanKeep: accCanKeep(s.user)}
	if y, err := strconv.Atoi(yearArg); err == nil && y >= 2000 && y <= 2100 {
		p.Year = y
	}
	for _, u := range s.tree.Units() {
		p.Units = append(p.Units, u)
	}
	var err error
	if p.Items, err = w.st.Commitments(ctx, p.Year, 0); err != nil {
		return p, err
	}
	for _, c := range p.Items {
		switch c.State {
		case "achieved":
			p.Achieved++
		case "missed":
			p.Missed++
		default:
			p.Open++
		}
	}
	if p.Names, err = w.accNames(ctx); err != nil {
		return p, err
	}
	problems, err := w.st.Problems(ctx, "")
	if err != nil {
		return p, err
	}
	byLead := map[string]int{}
	for _, pb := range problems {
		name := pb.LeadName
		i, ok := byLead[name]
		if !ok {
			i = len(p.Leads)
			byLead[name] = i
			p.Leads = append(p.Leads, accLead{Name: name})
		}
		l := &p.Leads[i]
		l.Problems = append(l.Problems, pb)
		l.Petitions += pb.Petitions
		l.Open += pb.Open
		if pb.Status == store.ProblemResolved {
			l.Solved++
		}
	}
	slices.SortFunc(p.Leads, func(a, b accLead) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return p, nil
}

func (w *Web) accCommitments(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.accCommitmentsData(r.Context(), s, r.URL.Query().Get("year"))
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	switch d := r.URL.Query().Get("done"); d {
	case "commitment", "progress", "review":
		p.Done = d
	}
	w.render(rw, r, s, http.StatusOK, "acc_commitments", p)
}

// accCommitmentPost runs one commitment form and returns to the year's page.
func (w *Web) accCommitmentPost(rw http.ResponseWriter, r *http.Request, s *session, f *accForm, year string, err error) {
	if err == nil {
		http.Redirect(rw, r, "/commitments?year="+year+"&done="+f.Name+"#commitments", http.StatusSeeOther)
		return
	}
	if accIsPageError(err) {
		w.fail(rw, r, s, err)
		return
	}
	w.accFail(s, f, err, map[string]string{"unit_code": "unit"})
	p, perr := w.accCommitmentsData(r.Context(), s, year)
	if perr != nil {
		w.fail(rw, r, s, perr)
		return
	}
	w.render(rw, accWithForm(r, f), s, http.StatusUnprocessableEntity, "acc_commitments", p)
}

func (w *Web) accCommitmentCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	f := accNewForm(r, "commitment", 0, "year", "leader_name", "unit", "kind", "title", "target")
	year, err := strconv.Atoi(f.Values["year"])
	if err != nil {
		err = failure.Invalid("year", "year %q is not a whole number", f.Values["year"])
	} else {
		_, err = commitments.Create(r.Context(), w.st, s.user, commitments.CommitmentInput{Year: year, LeaderName: f.Values["leader_name"],
			UnitCode: f.Values["unit"], Kind: f.Values["kind"], Title: f.Values["title"], Target: f.Values["target"]}, w.svc.Now())
	}
	w.accCommitmentPost(rw, r, s, f, f.Values["year"], err)
}

func (w *Web) accCommitmentProgress(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "commitment")
	if err == nil {
		err = r.ParseForm()
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	f := accNewForm(r, "progress", id, "note")
	_, err = commitments.AddProgress(r.Context(), w.st, s.user, id, f.Values["note"], w.svc.Now())
	w.accCommitmentPost(rw, r, s, f, r.PostForm.Get("year"), err)
}

func (w *Web) accCommitmentReview(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "commitment")
	if err == nil {
		err = r.ParseForm()
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	f := accNewForm(r, "review", id, "outcome", "review")
	_, err = commitments.Review(r.Context(), w.st, s.user, id, f.Values["outcome"], f.Values["review"], w.svc.Now())
	w.accCommitmentPost(rw, r, s, f, r.PostForm.Get("year"), err)
}
