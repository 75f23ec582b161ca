package web

import (
	"context"
	"net/http"
	"strconv"

	"redress/internal/commitments"
	"redress/internal/org"
	"redress/internal/store"
)

// accItemRows is how many items the new-checklist form offers.
const accItemRows = 5

// accChecklistsPage lists the joint meetings' (联席会议) checklists: items,
// responsible units, due dates and status.
type accChecklistsPage struct {
	Lists   []accChecklist
	Units   []org.Unit
	Rows    []int
	CanKeep bool
	Done    string
}

type accChecklist struct {
	store.Checklist
	Items  []accItem
	Total  int
	Solved int
}

type accItem struct {
	store.ChecklistItem
	CanDone bool // the user's unit is responsible, or the user keeps checklists
}

func (w *Web) accChecklistsData(ctx context.Context, s *session) (accChecklistsPage, error) {
	p := accChecklistsPage{CanKeep: accCanKeep(s.user)}
	for i := range accItemRows {
		p.Rows = append(p.Rows, i)
	}
	for _, u := range s.tree.Units() {
		if u.Kind != org.KindCity {
			p.Units = append(p.Units, u)
		}
	}
	lists, err := w.st.Checklists(ctx, 100)
	if err != nil {
		return p, err
	}
	for _, c := range lists {
		v := accChecklist{Checklist: c, Total: len(c.Items)}
		for _, it := range c.Items {
			own := s.user.Role.UnitScoped() && s.tree.Within(s.user.UnitID, it.UnitID)
			v.Items = append(v.Items, accItem{ChecklistItem: it, CanDone: it.State == "open" && (p.CanKeep || own)})
			if it.State == "done" {
				v.Solved++
			}
		}
		p.Lists = append(p.Lists, v)
	}
	return p, nil
}

func (w *Web) accChecklists(rw http.ResponseWriter, r *http.Request, s *session) {
	p, err := w.accChecklistsData(r.Context(), s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	switch d := r.URL.Query().Get("done"); d {
	case "checklist", "item":
		p.Done = d
	}
	w.render(rw, r, s, http.StatusOK, "acc_checklists", p)
}

func (w *Web) accChecklistPost(rw http.ResponseWriter, r *http.Request, s *session, f *accForm, err error) {
	if err == nil {
		http.Redirect(rw, r, "/checklists?done="+f.Name, http.StatusSeeOther)
		return
	}
	if accIsPageError(err) {
		w.fail(rw, r, s, err)
		return
	}
	w.accFail(s, f, err, map[string]string{"items.title": "items", "items.unit_code": "items", "items.due_on": "items"})
	p, perr := w.accChecklistsData(r.Context(), s)
	if perr != nil {
		w.fail(rw, r, s, perr)
		return
	}
	w.render(rw, accWithForm(r, f), s, http.StatusUnprocessableEntity, "acc_checklists", p)
}

func (w *Web) accChecklistCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	fields := []string{"title", "meeting", "items"}
	for i := range accItemRows {
		n := strconv.Itoa(i)
		fields = append(fields, "i"+n+"_title", "i"+n+"_unit", "i"+n+"_due")
	}
	f := accNewForm(r, "checklist", 0, fields...)
	in := commitments.ChecklistInput{Title: f.Values["title"], Meeting: f.Values["meeting"]}
	var err error
	for i := 0; i < accItemRows && err == nil; i++ {
		n := strconv.Itoa(i)
		title, unit, due := f.Values["i"+n+"_title"], f.Values["i"+n+"_unit"], f.Values["i"+n+"_due"]
		if title == "" && unit == "" && due == "" {
			continue
		}
		it := commitments.ItemInput{Title: title, UnitCode: unit}
		it.DueOn, err = accDate("items.due_on", due)
		in.Items = append(in.Items, it)
	}
	if err == nil {
		_, err = commitments.CreateChecklist(r.Context(), w.st, s.user, in, w.svc.Now())
	}
	w.accChecklistPost(rw, r, s, f, err)
}

func (w *Web) accChecklistItemDone(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "checklist item")
	if err == nil {
		err = r.ParseForm()
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	f := accNewForm(r, "item", id, "note")
	_, err = commitments.CompleteItem(r.Context(), w.st, s.user, id, f.Values["note"], w.svc.Now())
	w.accChecklistPost(rw, r, s, f, err)
}
