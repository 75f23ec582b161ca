package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"redress/internal/accounts"
	"redress/internal/store"
)

// upload posts a file to the import form as a same-origin browser would.
func (c *client) upload(name, content string, skip bool) page {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	if skip {
		mw.WriteField("skip_invalid", "1")
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+"/imports", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.send(req)
}

// awaitImport polls the job's status fragment, as the page does, until the
// job ends, and returns the last fragment.
func (c *client) awaitImport(job string) string {
	c.t.Helper()
	for range 200 {
		p := c.get(job + "/status")
		if p.status != 200 {
			c.t.Fatalf("status: %d %s", p.status, p.body)
		}
		if !strings.Contains(p.body, "hx-trigger") {
			return p.body
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatal("import never finished")
	return ""
}

func importLine(id string, district string) string {
	return fmt.Sprintf(`{"external_id":%q,"received_at":"2026-03-02T09:00:00+08:00","channel":"hotline","petitioner_name":"王秀兰","phone":"13904291234","district_code":%q,"address":"连山区","title":"供暖不热","content":"室温长期低于16度。"}`, id, district)
}

// TestWebImport: the registrar uploads a batch, the page polls progress
// until the job ends; an invalid row stops the whole batch (nothing stored,
// the row's problem in Chinese), unless invalid rows are skipped; other
// roles and other registrars cannot see the job.
func TestWebImport(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client()
	c.login("bureau")
	if p := c.get("/imports"); p.status != 200 || !strings.Contains(p.body, `id="import-form"`) {
		t.Fatalf("form: %d", p.status)
	}
	count := func() int {
		page, err := e.st.ListPetitions(ctx, store.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		return len(page.Items)
	}

	var lines []string
	for i := range 30 {
		lines = append(lines, importLine(fmt.Sprintf("W-%d", i), "211402"))
	}
	lines[7] = importLine("W-7", "999999") // unknown district
	p := c.upload("batch.jsonl", strings.Join(lines, "\n"), false)
	if p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	job := p.header.Get("Location")
	if page := c.get(job); page.status != 200 || !strings.Contains(page.body, "batch.jsonl") {
		t.Fatalf("job page: %d", page.status)
	}
	body := c.awaitImport(job)
	if !strings.Contains(body, `id="import-refused"`) || !strings.Contains(body, "<td>8</td>") || count() != 0 {
		t.Fatalf("a batch with an invalid row: %d stored; %s", count(), body)
	}
	if strings.Contains(body, "district_code") {
		t.Fatalf("the row's problem is not in Chinese: %s", body)
	}

	job = c.upload("batch.jsonl", strings.Join(lines, "\n"), true).header.Get("Location")
	body = c.awaitImport(job)
	if !strings.Contains(body, `id="import-done"`) || !strings.Contains(body, "新登记 29 件") || count() != 29 {
		t.Fatalf("skipping invalid rows: %d stored; %s", count(), body)
	}

	if p := c.upload("batch.csv", "a,b", false); p.status != 422 || !strings.Contains(p.body, `id="err-file"`) {
		t.Fatalf("a .csv file: %d", p.status)
	}
	if _, _, err := accounts.Create(ctx, e.st, e.user("admin"), accounts.Input{Login: "bureau2", Name: "钱登记", Role: "bureau",
		UnitCode: "211400-xfj", Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	other := e.client()
	other.login("bureau2")
	if p := other.get(job); p.status != 404 {
		t.Fatalf("another registrar opened the job: %d", p.status)
	}
	h := e.client()
	h.login("zjj")
	if p := h.get("/imports"); p.status != 403 {
		t.Fatalf("a unit handler opened the import page: %d", p.status)
	}
	if p := h.upload("batch.jsonl", importLine("W-99", "211402"), false); p.status != 403 || count() != 29 {
		t.Fatalf("a unit handler imported: %d", p.status)
	}
}

// TestBrowserImport: in Chromium the registrar picks a file, starts the
// import, and the page follows the job (htmx polling) to its result.
func TestBrowserImport(t *testing.T) {
	e := newEnv(t)
	var lines []string
	for i := range 600 {
		lines = append(lines, importLine(fmt.Sprintf("B-%d", i), "211402"))
	}
	path := filepath.Join(t.TempDir(), "hotline.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	b := e.tab(t)
	b.login("bureau")
	b.clickTo(css("#nav-import"), css("#import-form"))
	b.do(chromedp.SetUploadFiles(css("#i-file"), []string{path}), chromedp.Click(css("#import-submit")))
	b.waitText("#import-status", "新登记 600 件")
	b.shot("import")
}
