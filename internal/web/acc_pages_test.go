package web_test

import (
	"net/url"
	"strings"
	"testing"

	"redress/internal/web/i18n"
)

// Every accountability page renders for every role in both languages with
// no missing message.
func TestAccPagesRender(t *testing.T) {
	e := newEnv(t)
	id := e.register("楼上噪音扰民", "楼上住户每晚十一点后仍有很大的噪音，多次协商无果。", nil)
	paths := []string{"/supervision", "/supervision?all=1", "/supervision/record", "/supervision/record?unit=211400-zjj",
		"/notices", "/engagement", "/engagement?petition=1", "/commitments", "/checklists"}
	for _, login := range []string{"bureau", "zjj", "zjj-head", "leader", "inspector", "admin"} {
		for _, loc := range i18n.Locales {
			c := e.client()
			c.login(login)
			if p := c.post("/locale", url.Values{"locale": {loc}}); p.status != 303 {
				t.Fatalf("set locale: %d", p.status)
			}
			ps := append([]string{}, paths...)
			if login != "zjj" && login != "zjj-head" && login != "admin" {
				ps = append(ps, idPath(id))
			}
			for _, path := range ps {
				p := c.get(path)
				if p.status != 200 {
					t.Errorf("%s %s (%s): status %d: %.300s", login, path, loc, p.status, p.body)
					continue
				}
				if i := strings.Index(p.body, "⟦"); i >= 0 {
					t.Errorf("%s %s (%s): missing message near %q", login, path, loc, p.body[i:min(len(p.body), i+60)])
				}
			}
		}
	}
}
