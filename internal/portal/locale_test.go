package portal_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"redress/internal/portal"
)

// getIn fetches path as a browser that sends Accept-Language accept and,
// if cookie is set, the portal's language cookie.
func (e *env) getIn(path, accept, cookie string) resp {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	if accept != "" {
		req.Header.Set("Accept-Language", accept)
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: "portal_lang", Value: cookie})
	}
	return e.do(req)
}

// postIn posts a form as a browser that sends Accept-Language accept.
func (e *env) postIn(path, accept string, form url.Values) resp {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", accept)
	return e.do(req)
}

var han = regexp.MustCompile(`\p{Han}+`)

// chineseOutsideData lists the Chinese words on an English page, apart
// from the language switch's own name for Chinese and the given data.
func chineseOutsideData(body string, data ...string) []string {
	body = strings.ReplaceAll(body, `id="lang-zh-CN">中文<`, "")
	for _, d := range data {
		body = strings.ReplaceAll(body, d, "")
	}
	return han.FindAllString(body, -1)
}

func htmlLang(body string) string {
	m := regexp.MustCompile(`<html lang="([^"]+)">`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestLanguageFromTheBrowser(t *testing.T) {
	e := newEnv(t, portal.Options{})
	for _, c := range []struct{ accept, want string }{
		{"", "zh-CN"},
		{"en", "en"},
		{"en-US,en;q=0.9", "en"},
		{"zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"},
		{"en-GB;q=0.5,zh-TW;q=0.7", "zh-CN"},
		{"fr-FR,fr;q=0.9,en;q=0.4", "en"},
		{"fr-FR,de", "zh-CN"},
		{"en;q=bogus", "zh-CN"},
	} {
		r := e.getIn("/portal/", c.accept, "")
		if got := htmlLang(r.body); r.status != 200 || got != c.want || r.header.Get("Content-Language") != c.want {
			t.Errorf("Accept-Language %q: status %d, <html lang=%q>, Content-Language %q; want %s", c.accept, r.status, got,
				r.header.Get("Content-Language"), c.want)
		}
	}
	r := e.getIn("/portal/", "en", "")
	for _, want := range []string{"<title>Online petitions · Huludao Online Petitions</title>", ">Submit a petition<", ">Track a petition<",
		"Regulations on Petition Work", `href="/portal/?lang=zh-CN"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("English home lacks %q", want)
		}
	}
	if zh := chineseOutsideData(r.body); len(zh) > 0 {
		t.Errorf("English home has Chinese text %q", zh)
	}
	if !strings.Contains(r.header.Get("Vary"), "Accept-Language") {
		t.Errorf("Vary %q", r.header.Get("Vary"))
	}
	zh := e.get("/portal/")
	if htmlLang(zh.body) != "zh-CN" || !strings.Contains(zh.body, "我要信访") || strings.Contains(zh.body, "Submit a petition") {
		t.Errorf("default home is not Chinese: %s", zh.body)
	}
	// Every page renders every message in both languages.
	for _, path := range []string{"/portal/", "/portal/submit", "/portal/track", "/portal/nowhere"} {
		for _, accept := range []string{"zh-CN", "en"} {
			if r := e.getIn(path, accept, ""); strings.Contains(r.body, "⟦") {
				t.Errorf("%s in %s: a message is missing: %s", path, accept, r.body)
			}
		}
	}
	if r := e.getIn("/portal/track", "en", ""); len(chineseOutsideData(r.body)) > 0 || !strings.Contains(r.body, "Tracking code") {
		t.Errorf("English track page: %q", chineseOutsideData(r.body))
	}
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t, portal.Options{})
	// A Chinese browser follows the header's English link.
	r := e.getIn("/portal/submit", "zh-CN", "")
	if !strings.Contains(r.body, `href="/portal/submit?lang=en"`) {
		t.Fatalf("no switch to English on the form: %s", r.body)
	}
	r = e.getIn("/portal/submit?lang=en", "zh-CN", "")
	if htmlLang(r.body) != "en" || !strings.Contains(r.body, "Facts and reasons") || strings.Contains(r.body, "事实和理由") {
		t.Fatalf("?lang=en: %s", r.body)
	}
	var chosen *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "portal_lang" {
			chosen = c
		}
	}
	if chosen == nil || chosen.Value != "en" || chosen.Path != "/portal/" || !chosen.HttpOnly || chosen.MaxAge <= 0 {
		t.Fatalf("language cookie %+v", chosen)
	}
	// The choice outlasts the browser's preference, until switched back.
	if r := e.getIn("/portal/track", "zh-CN", "en"); htmlLang(r.body) != "en" {
		t.Errorf("cookie ignored")
	}
	if r := e.getIn("/portal/track?lang=zh-CN", "en", "en"); htmlLang(r.body) != "zh-CN" || !strings.Contains(r.body, "查询码") {
		t.Errorf("switching back")
	}
	// Unknown choices are ignored, not stored.
	r = e.getIn("/portal/?lang=fr", "", "xx")
	if htmlLang(r.body) != "zh-CN" || r.header.Get("Set-Cookie") != "" {
		t.Errorf("?lang=fr: lang %q, Set-Cookie %q", htmlLang(r.body), r.header.Get("Set-Cookie"))
	}
}

func TestCasePageInEnglish(t *testing.T) {
	e := newEnv(t, portal.Options{})
	code := codeRe.FindString(e.submit(petitionForm(), file{"暖气.png", png}).body)
	if code == "" {
		t.Fatal("no tracking code")
	}
	form := url.Values{"code": {code}, "phone": {"13904291234"}}
	r := e.postIn("/portal/track", "en", form)
	for _, want := range []string{"Registered, awaiting acceptance", "Tracking code: ", "Timeline", "暖气.png (1 KB)"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("English case page lacks %q", want)
		}
	}
	if zh := chineseOutsideData(r.body, "锦绣小区冬季供暖不热，要求供暖达标", "暖气"); len(zh) > 0 {
		t.Errorf("English case page has Chinese text %q", zh)
	}
	// The switch on the case page looks the case up again in Chinese.
	if !strings.Contains(r.body, `action="/portal/track?lang=zh-CN"`) || !strings.Contains(r.body, `name="code" value="`+code+`"`) {
		t.Fatalf("no switch form on the case page: %s", r.body)
	}
	r = e.postIn("/portal/track?lang=zh-CN", "en", form)
	if r.status != 200 || htmlLang(r.body) != "zh-CN" || !strings.Contains(r.body, "已登记，待受理") {
		t.Fatalf("switched case page: %d %s", r.status, r.body)
	}
	// Errors from an action come back in the visitor's language.
	if r := e.postIn("/portal/rate", "en", url.Values{"code": {code}, "phone": {"13904291234"}, "rating": {"satisfied"}}); r.status != 409 ||
		!strings.Contains(r.body, "You can rate the petition once it has a written reply.") {
		t.Errorf("rating before reply in English: %d %s", r.status, r.body)
	}
	// An unknown code reads the same in English whatever the phone.
	wrong := e.postIn("/portal/track", "en", url.Values{"code": {code}, "phone": {"13800000000"}})
	none := e.postIn("/portal/track", "en", url.Values{"code": {"XF2222222222"}, "phone": {"13800000000"}})
	if wrong.status != 404 || wrong.body != none.body || !strings.Contains(wrong.body, "No petition matches") {
		t.Errorf("not found in English: %d %d", wrong.status, none.status)
	}
}

// A validation error is shown beside its field, in the visitor's language.
func TestSubmitErrorsInTheVisitorsLanguage(t *testing.T) {
	e := newEnv(t, portal.Options{})
	f := petitionForm()
	f.Del("facts")
	for _, c := range []struct{ accept, field, page string }{
		{"", `<span class="field-error" id="facts-error">请填写事实和理由</span>`, "请补全必填项。"},
		{"en", `<span class="field-error" id="facts-error">Facts and reasons is required.</span>`, "Please fill in the required fields."},
	} {
		r := e.submitIn(f, c.accept)
		if r.status != 400 || !strings.Contains(r.body, c.field) || !strings.Contains(r.body, c.page) {
			t.Errorf("missing facts (%q): %d %s", c.accept, r.status, r.body)
		}
		// The message sits right after the field it is about.
		if i, j := strings.Index(r.body, `id="facts"`), strings.Index(r.body, `id="facts-error"`); i < 0 || j < i || strings.Contains(r.body[i:j], "<label") {
			t.Errorf("the error is not beside its field (%q)", c.accept)
		}
		if !strings.Contains(r.body, "锦绣小区冬季供暖不热") {
			t.Errorf("the values typed are lost (%q)", c.accept)
		}
	}
	f = petitionForm()
	f.Set("id_number", "211402199001011235")
	if r := e.submitIn(f, "en"); r.status != 400 || !strings.Contains(r.body, `id="id_number-error">The ID card number is not valid; please check it (it is optional).</span>`) {
		t.Errorf("bad id number in English: %d %s", r.status, r.body)
	}
	if r := e.submitIn(petitionForm(), "en", file{"photo.jpg", []byte("plain text, not a photo")}); r.status != 415 ||
		!strings.Contains(r.body, `id="attachments-error">The attachment “photo.jpg” is of a type not accepted`) {
		t.Errorf("wrong type in English: %d %s", r.status, r.body)
	}
	if n := e.count(); n != 0 {
		t.Fatalf("%d petitions registered by refused submissions", n)
	}
	r := e.submitIn(petitionForm(), "en")
	if r.status != 200 || !codeRe.MatchString(r.body) || !strings.Contains(r.body, "Your petition has been registered.") {
		t.Fatalf("English submission: %d %s", r.status, r.body)
	}
}
