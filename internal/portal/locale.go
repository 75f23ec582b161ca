package portal

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"redress/internal/lifecycle"
	"redress/internal/petition"
	"redress/internal/store"
	"redress/internal/web/i18n"
)

// The portal's own message catalogues (zh-CN first, en), loaded and checked
// for the same keys by the staff UI's loader.
//
//go:embed locales/*.json
var localeFS embed.FS

// langCookie remembers an anonymous visitor's choice of language.
const langCookie = "portal_lang"

// loadCatalog reads the portal's catalogues and checks that every name the
// portal looks up by code (states, actions, outcomes, ratings) is there, so
// a missing message stops the server at start-up.
func loadCatalog() (*i18n.Catalog, error) {
	sub, err := fs.Sub(localeFS, "locales")
	if err != nil {
		return nil, fmt.Errorf("portal catalogues: %w", err)
	}
	cat, err := i18n.LoadFS(sub)
	if err != nil {
		return nil, fmt.Errorf("portal catalogues: %w", err)
	}
	var missing []string
	for _, k := range codeKeys() {
		if !cat.Has(k) {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("portal catalogues lack %s", strings.Join(missing, ", "))
	}
	return cat, nil
}

// codeKeys are the catalogue keys named by codes rather than written in a
// template or handler.
func codeKeys() []string {
	var keys []string
	for _, s := range petition.States {
		keys = append(keys, "state."+string(s))
	}
	for _, a := range timelineActions {
		keys = append(keys, "action."+a)
	}
	for _, o := range []string{petition.OutcomeSupport, petition.OutcomeExplain, petition.OutcomeReject} {
		keys = append(keys, "outcome."+o)
	}
	for _, r := range ratings {
		keys = append(keys, "rating."+r)
	}
	for _, l := range i18n.Locales {
		keys = append(keys, "locale."+l)
	}
	return keys
}

// timelineActions are the events a petitioner sees on the case page, by
// action code; anything else (internal notes, escalations) stays hidden.
var timelineActions = []string{"register", string(lifecycle.Accept), string(lifecycle.Decline),
	string(lifecycle.Assign), string(lifecycle.Sign), string(lifecycle.Return),
	string(lifecycle.RequestExtension), string(lifecycle.ApproveExtension), string(lifecycle.RejectExtension),
	string(lifecycle.Reply), string(lifecycle.RequestReview), string(lifecycle.DecideReview),
	string(lifecycle.RequestRereview), string(lifecycle.DecideRereview), string(lifecycle.Close)}

// ratings are the answers a petitioner may give about the reply.
var ratings = []string{store.RatingSatisfied, store.RatingBasicallySatisfied, store.RatingUnsatisfied}

// locale is the language of the request: ?lang= (which the response then
// remembers in a cookie), the cookie, the browser's Accept-Language, and
// Chinese when none of them names a language the portal speaks.
func (p *Portal) locale(r *http.Request) string {
	if l, ok := offered(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := offered(c.Value); ok {
			return l
		}
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

// rememberLocale sets the cookie when the visitor chose a language with ?lang=.
func rememberLocale(w http.ResponseWriter, r *http.Request) {
	l, ok := offered(r.URL.Query().Get("lang"))
	if !ok {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/portal/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// offered reports whether loc is exactly one of the portal's locales.
func offered(loc string) (string, bool) {
	if slices.Contains(i18n.Locales, loc) {
		return loc, true
	}
	return "", false
}

// acceptLanguage picks the portal locale the browser prefers most: any zh
// tag reads Chinese, any en tag English; other languages are skipped and
// the default is Chinese.
func acceptLanguage(h string) string {
	best, bestQ := i18n.Default, 0.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for _, prm := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(prm), "q="); ok {
				f, err := strconv.ParseFloat(v, 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		tag = strings.ToLower(strings.TrimSpace(tag))
		var loc string
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			loc = "zh-CN"
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			loc = "en"
		default:
			continue
		}
		if q > bestQ {
			best, bestQ = loc, q
		}
	}
	return best
}

// t translates key into the request's language.
func (p *Portal) t(r *http.Request, key string, params ...any) string {
	return p.cat.T(p.locale(r), key, params...)
}

// langLink is one entry of the header's language switch.
type langLink struct {
	Code, Name, Href string
	Current          bool
}

// langLinks builds the language switch: a link to the same page with
// ?lang=, or for pages shown in answer to a form, to the page the form
// came from. The case page switches with a form that looks the case up
// again (layout.html), so the visitor keeps it in view.
func (p *Portal) langLinks(r *http.Request, page, current string) []langLink {
	path := r.URL.Path
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		switch page {
		case "submit":
			path = "/portal/submit"
		case "track", "case":
			path = "/portal/track"
		default:
			path = "/portal/"
		}
	}
	out := make([]langLink, 0, len(i18n.Locales))
	for _, l := range i18n.Locales {
		out = append(out, langLink{Code: l, Name: p.cat.T(l, "locale."+l), Href: path + "?lang=" + l, Current: l == current})
	}
	return out
}
