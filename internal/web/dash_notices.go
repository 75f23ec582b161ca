package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"redress/internal/failure"
	"redress/internal/notices"
	"redress/internal/petition"
)

// dashNoticeCSSPath serves the stylesheet of the HTML notices.
const dashNoticeCSSPath = "/print/notice.css"

// dashNoticeLink is a notice the case's state allows, linked from the case page.
type dashNoticeLink struct {
	Kind  notices.Kind
	Title string // 受理告知书 …
}

// dashNoticeOptions are the local particulars printed on the notices.
func (w *Web) dashNoticeOptions() notices.Options { return w.notices }

// dashNoticeLinks lists the notices that exist for c now: those that
// notices.Build accepts for the case's state.
func (w *Web) dashNoticeLinks(s *session, c *petition.Case) []dashNoticeLink {
	var out []dashNoticeLink
	for _, k := range notices.Kinds {
		if _, err := notices.Build(s.user, s.tree, c, k, w.dashNoticeOptions()); err == nil {
			out = append(out, dashNoticeLink{Kind: k, Title: k.Title()})
		}
	}
	return out
}

// dashNotice serves GET /petitions/{id}/notices/{kind}.{pdf|html}: the
// same document as the API's, to whoever may open the case page; a case the
// user may not see is not found.
func (w *Web) dashNotice(rw http.ResponseWriter, r *http.Request, s *session) {
	id, err := pathID(r)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	file := r.PathValue("file")
	name, format, _ := strings.Cut(file, ".")
	kind, err := notices.ParseKind(name)
	if err != nil || (format != "pdf" && format != "html") {
		w.fail(rw, r, s, failure.NotFound(fmt.Sprintf("notice %q", file)))
		return
	}
	c, err := w.loadVisible(r.Context(), s, id)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	n, err := notices.Build(s.user, s.tree, c, kind, w.dashNoticeOptions())
	if fe := failure.Public(err); err != nil && fe.Code == failure.CodeIllegalState {
		// The case's state does not allow this notice (yet).
		msg := w.cat.T(s.locale, "dash.err.notice_state", "notice", w.cat.T(s.locale, "dash.notice."+string(kind)),
			"state", w.cat.T(s.locale, "state."+string(c.Petition.State)))
		w.render(rw, r, s, fe.Status, "error", errorPage{Status: fe.Status, Message: msg})
		return
	}
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	var buf bytes.Buffer
	ctype := "application/pdf"
	if format == "pdf" {
		err = n.PDF(&buf)
	} else {
		ctype = "text/html; charset=utf-8"
		err = n.HTML(&buf, dashNoticeCSSPath+"?v="+notices.StylesheetHash())
	}
	if err != nil {
		w.fail(rw, r, s, fmt.Errorf("notice %s of petition %d: %w", kind, id, err))
		return
	}
	download := fmt.Sprintf("%s-%d.%s", n.Title, c.Petition.ID, format)
	rw.Header().Set("Content-Type", ctype)
	rw.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(download))
	rw.Header().Set("Cache-Control", "private, no-store")
	if _, err := buf.WriteTo(rw); err != nil {
		slog.Debug("write notice", "path", r.URL.Path, "err", err)
	}
}

func (w *Web) dashNoticeCSS(rw http.ResponseWriter, r *http.Request, _ *session) {
	rw.Header().Set("Content-Type", "text/css; charset=utf-8")
	rw.Header().Set("Cache-Control", "private, max-age=86400")
	if _, err := rw.Write(notices.Stylesheet()); err != nil {
		slog.Debug("write notice stylesheet", "path", r.URL.Path, "err", err)
	}
}
