package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/lifecycle"
)

// registerFields are the registration form's inputs, named as in intake.Record.
var registerFields = []string{"channel", "received_at", "petitioner_name", "petitioner_id_number", "phone", "district_code",
	"address", "title", "content", "group_size", "accusation", "accused_unit_code"}

// petitionCreate registers a petition typed in by a registrar (登记).
func (w *Web) petitionCreate(rw http.ResponseWriter, r *http.Request, s *session) {
	if !w.formRead(rw, r, s) {
		return
	}
	p := w.newPetitionPage(s)
	for _, f := range registerFields {
		p.Values[f] = r.PostForm.Get(f)
	}
	rec, err := readRecord(p.Values)
	if err == nil {
		var reg lifecycle.Registered
		if reg, err = w.svc.Register(r.Context(), s.user, rec, false); err == nil {
			http.Redirect(rw, r, "/petitions/"+strconv.FormatInt(reg.ID, 10)+"?done=register", http.StatusSeeOther)
			return
		}
	}
	fe := failure.Public(err)
	if fe.Status >= 500 {
		w.fail(rw, r, s, err)
		return
	}
	p.Errors[fe.Field] = w.cat.Error(s.locale, err)
	w.render(rw, r, s, http.StatusUnprocessableEntity, "petition_new", p)
}

// readRecord turns the form into an intake record; lifecycle validates the rest.
func readRecord(v map[string]string) (intake.Record, error) {
	rec := intake.Record{Channel: v["channel"], PetitionerName: v["petitioner_name"], PetitionerIDNumber: v["petitioner_id_number"],
		Phone: v["phone"], DistrictCode: v["district_code"], Address: v["address"], Title: v["title"], Content: v["content"],
		Accusation: v["accusation"] != "", AccusedUnitCode: v["accused_unit_code"]}
	if !rec.Accusation {
		rec.AccusedUnitCode = ""
	}
	if s := strings.TrimSpace(v["received_at"]); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, chinaTime)
		if err != nil {
			return rec, failure.Invalid("received_at", "received_at %q is not a date and time", s)
		}
		rec.ReceivedAt = t
	}
	if s := strings.TrimSpace(v["group_size"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return rec, failure.Invalid("group_size", "group_size %q is not a whole number", s)
		}
		rec.GroupSize = n
	}
	return rec, nil
}
