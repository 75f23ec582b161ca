package notices_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"redress/internal/api"
	"redress/internal/lifecycle"
	"redress/internal/notices"
	"redress/internal/store"
)

// TestRoutes drives GET /api/v1/petitions/{id}/notices/{kind}.{pdf,html} over HTTP.
func TestRoutes(t *testing.T) {
	f := newFixture(t)
	mux := http.NewServeMux()
	api.New(f.svc, 0).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tokens := map[string]string{}
	for _, login := range []string{"bureau", "zjj", "rsj"} {
		if err := f.st.Write(context.Background(), func(tx *store.Tx) error {
			tok, err := tx.CreateToken(store.System, f.org.Users[login].ID, "test", nil)
			tokens[login] = tok
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	get := func(who, path string, status int) (string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if who != "" {
			req.Header.Set("Authorization", "Bearer "+tokens[who])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != status {
			t.Fatalf("GET %s as %q: %d, want %d: %.200s", path, who, res.StatusCode, status, body)
		}
		return string(body), res.Header
	}
	c := f.petition("N-1",
		f.do("bureau", lifecycle.Accept, lifecycle.Input{}),
		f.do("bureau", lifecycle.Assign, lifecycle.Input{UnitCode: "211400-zjj"}))
	base := fmt.Sprintf("/api/v1/petitions/%d/notices/", c.Petition.ID)

	pdf, h := get("zjj", base+"acceptance.pdf", 200)
	if !strings.HasPrefix(pdf, "%PDF-") || h.Get("Content-Type") != "application/pdf" || !strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Errorf("pdf: %q %v", pdf[:min(8, len(pdf))], h)
	}
	page, h := get("bureau", base+"acceptance.html", 200)
	if !strings.HasPrefix(h.Get("Content-Type"), "text/html") || !strings.Contains(page, "受理告知书") ||
		!strings.Contains(page, `href="/api/v1/notices/notice.css?v=`) {
		t.Errorf("html: %v %.300s", h, page)
	}
	css, _ := get("", "/api/v1/notices/notice.css", 200)
	if !strings.Contains(css, "@page") {
		t.Error("stylesheet lacks @page")
	}
	get("rsj", base+"acceptance.pdf", 404) // not its case: as if it did not exist
	get("bureau", base+"reply.pdf", 409)   // no reply yet
	get("bureau", base+"summons.pdf", 404)
	get("bureau", base+"acceptance.doc", 404)
	get("bureau", "/api/v1/petitions/999/notices/acceptance.pdf", 404)
	get("", base+"acceptance.pdf", 401)

	// Another city's names, as configured (redress serve --city …).
	mux2 := http.NewServeMux()
	api.New(f.svc, 0).WithNotices(notices.Options{City: "沈阳市", Bureau: "沈阳市信访局", Abbrev: "沈"}).Register(mux2)
	srv2 := httptest.NewServer(mux2)
	t.Cleanup(srv2.Close)
	req, _ := http.NewRequest("GET", srv2.URL+base+"acceptance.html", nil)
	req.Header.Set("Authorization", "Bearer "+tokens["bureau"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if !strings.Contains(string(body), "沈阳市信访局") || !strings.Contains(string(body), "沈信") || strings.Contains(string(body), "葫芦岛") {
		t.Errorf("configured issuer not printed: %.600s", body)
	}
}
