package web

import (
	"errors"
	"net/http"
	"strconv"

	"redress/internal/failure"
	"redress/internal/store"
)

// accNoticeLimit is how many unread notices the list shows and the nav counts.
const accNoticeLimit = 100

// accNoticesPage is the signed-in user's unread in-app notices.
type accNoticesPage struct {
	Items []store.Notice
	Read  bool // a notice was just marked read
}

func (w *Web) accNotices(rw http.ResponseWriter, r *http.Request, s *session) {
	ns, err := w.st.UnreadNotices(r.Context(), s.user.ID, accNoticeLimit)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "acc_notices", accNoticesPage{Items: ns, Read: r.URL.Query().Get("read") == "1"})
}

// accNoticeRead marks one of the user's own notices read.
func (w *Web) accNoticeRead(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := idOf(r, "id", "notice")
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	err = w.st.Write(r.Context(), func(tx *store.Tx) error {
		return tx.MarkNoticeRead(store.Actor{ID: s.user.ID, Login: s.user.Login}, s.user.ID, id, w.svc.Now())
	})
	if errors.Is(err, store.ErrNotFound) {
		err = failure.NotFound("notice")
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	http.Redirect(rw, r, "/notices?read=1", http.StatusSeeOther)
}

// AccUnread is the signed-in user's number of unread notices, for the nav
// ("99+" from accNoticeLimit on; "" when none or on error).
func (v *view) AccUnread() string {
	if !v.Signed || v.request == nil {
		return ""
	}
	ns, err := v.w.st.UnreadNotices(v.request.Context(), v.User.ID, accNoticeLimit)
	if err != nil {
		logError("count unread notices", err, "user", v.User.ID)
		return ""
	}
	switch n := len(ns); {
	case n == 0:
		return ""
	case n >= accNoticeLimit:
		return "99+"
	default:
		return strconv.Itoa(n)
	}
}
