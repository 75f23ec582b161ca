package api

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"redress/internal/failure"
	"redress/internal/notices"
	"redress/internal/org"
	"redress/internal/respond"
)

// noticeCSSPath is where the HTML notices find their stylesheet.
const noticeCSSPath = "/api/v1/notices/notice.css"

// noticeRoutes serve the printable notices of a case (package notices), as
// PDF or HTML, to whoever may open the case.
func noticeRoutes() []Route {
	var files []string
	for _, k := range notices.Kinds {
		files = append(files, string(k)+".pdf", string(k)+".html")
	}
	return []Route{
		{Method: "GET", Path: "/api/v1/petitions/{id}/notices/{file}", Roles: anyRole, handler: (*API).notice, Op: obj{
			"summary": "A printable notice of the case: 受理告知书 (acceptance), 不予受理告知书 (decline) or 信访事项处理意见书 (reply), as PDF or HTML",
			"description": "The file is {kind}.pdf or {kind}.html. A case the caller may not open is not found; " +
				"a notice the case's state does not allow (no reply notice before the reply) is refused with 409 illegal_transition.",
			"parameters": []any{
				obj{"name": "id", "in": "path", "required": true, "schema": obj{"type": "integer"}},
				obj{"name": "file", "in": "path", "required": true, "schema": obj{"type": "string", "enum": files}},
			},
			"responses": obj{
				"200": obj{"description": "the notice", "content": obj{
					"application/pdf": obj{"schema": obj{"type": "string", "format": "binary"}},
					"text/html":       obj{"schema": obj{"type": "string"}}}},
				"400": errorReply, "401": errorReply, "404": errorReply, "409": errorReply}}},
		{Method: "GET", Path: noticeCSSPath, Public: true, handler: (*API).noticeCSS, Op: obj{
			"summary": "The stylesheet of the HTML notices (A4 print rules)", "security": []any{},
			"responses": obj{"200": obj{"description": "CSS", "content": obj{"text/css": obj{"schema": obj{"type": "string"}}}}}}},
	}
}

func (a *API) notice(w http.ResponseWriter, r *http.Request, u org.User) {
	id, err := pathID(r)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	file := r.PathValue("file")
	name, format, _ := strings.Cut(file, ".")
	kind, err := notices.ParseKind(name)
	if err != nil || (format != "pdf" && format != "html") {
		respond.Error(w, r, failure.NotFound(fmt.Sprintf("notice %q (give {kind}.pdf or {kind}.html)", file)))
		return
	}
	c, tree, err := a.loadVisible(r, u, id)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	n, err := notices.Build(u, tree, c, kind, a.notices)
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if format == "pdf" {
		err = n.PDF(&buf)
		w.Header().Set("Content-Type", "application/pdf")
	} else {
		err = n.HTML(&buf, noticeCSSPath+"?v="+notices.StylesheetHash())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	if err != nil {
		w.Header().Del("Content-Type")
		respond.Error(w, r, err)
		return
	}
	download := fmt.Sprintf("%s-%d.%s", n.Title, c.Petition.ID, format)
	w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(download))
	w.Header().Set("Cache-Control", "private, no-store")
	if _, err := buf.WriteTo(w); err != nil {
		slog.Debug("write notice", "path", r.URL.Path, "err", err)
	}
}

func (a *API) noticeCSS(w http.ResponseWriter, r *http.Request, _ org.User) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	if _, err := w.Write(notices.Stylesheet()); err != nil {
		slog.Debug("write notice stylesheet", "path", r.URL.Path, "err", err)
	}
}
