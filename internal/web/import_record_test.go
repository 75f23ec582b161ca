package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"redress/internal/accounts"
	"redress/internal/server"
	"redress/internal/store"
	"redress/internal/web"
)

// TestWebImportRecorded: an import's page and the registrar's list of
// imports are read from the store, so another server process on the same
// database (or this one after a restart) shows them; a job whose process
// stopped reads as interrupted; only its owner sees it; start and end are
// audited.
func TestWebImportRecorded(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c := e.client()
	c.login("bureau")
	lines := []string{importLine("R-1", "211402"), importLine("R-2", "211402"), `{"external_id":"R-3"}`}
	job := c.upload("冬季供暖.jsonl", strings.Join(lines, "\n"), true).header.Get("Location")
	if !strings.HasPrefix(job, "/imports/") {
		t.Fatalf("no job page: %q", job)
	}
	if body := c.awaitImport(job); !strings.Contains(body, `id="import-done"`) {
		t.Fatalf("the import did not finish: %s", body)
	}
	id := strings.TrimPrefix(job, "/imports/")

	// Another process: a second server on the same store. Sessions live in
	// the store too, so the registrar's cookie works there.
	other := httptest.NewServer(server.Handler(e.svc, server.Options{Web: web.Options{SessionTTL: time.Hour}}))
	defer other.Close()
	get := func(cl *client, path string) page {
		t.Helper()
		req, _ := http.NewRequest("GET", other.URL+path, nil)
		return cl.send(req)
	}
	p := get(c, job)
	if p.status != http.StatusOK || !strings.Contains(p.body, `id="import-done"`) || !strings.Contains(p.body, "新登记 2 件") {
		t.Fatalf("the job's page in another process: %d %s", p.status, p.body)
	}
	if !strings.Contains(p.body, `id="import-rejects"`) || !strings.Contains(p.body, "<td>3</td>") {
		t.Error("the recorded job lost its invalid row")
	}
	p = get(c, "/imports")
	if !strings.Contains(p.body, `id="import-recent"`) || !strings.Contains(p.body, "冬季供暖.jsonl") || !strings.Contains(p.body, "新登记 2 件，已存在 0 件，有误 1 行") {
		t.Errorf("the list of recent imports: %s", p.body)
	}

	// Another registrar sees neither the job nor it in the list.
	if _, _, err := accounts.Create(ctx, e.st, e.user("admin"), accounts.Input{Login: "bureau2", Name: "钱登记", Role: "bureau",
		UnitCode: "211400-xfj", Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	c2 := e.client()
	c2.login("bureau2")
	if p := get(c2, job); p.status != http.StatusNotFound {
		t.Errorf("another registrar opens the job: %d", p.status)
	}
	if p := get(c2, "/imports"); strings.Contains(p.body, "冬季供暖.jsonl") {
		t.Error("another registrar's list shows the job")
	}

	// A job left running by a process that stopped reads as interrupted.
	started := e.clk.Now().Add(-10 * time.Minute)
	if err := e.st.Write(ctx, func(tx *store.Tx) error {
		return tx.SaveImportJob(store.System, store.ImportJob{ID: "stale", OwnerID: e.user("bureau").ID, File: "大批量.xlsx",
			Phase: "storing", Done: 4000, Total: 9000, StartedAt: started, HeartbeatAt: started.Add(time.Minute)})
	}); err != nil {
		t.Fatal(err)
	}
	if p := get(c, "/imports/stale"); !strings.Contains(p.body, `id="import-interrupted"`) || strings.Contains(p.body, "hx-trigger") {
		t.Errorf("an abandoned job: %s", p.body)
	}
	if p := get(c, "/imports"); !strings.Contains(p.body, "已中断") {
		t.Error("the list does not mark the abandoned job interrupted")
	}

	entries, err := e.st.AuditFor(ctx, "import_job", id, 10)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range entries {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, ",") != "import.start,import.finish" {
		t.Errorf("audited %v, want the start and the end", actions)
	}
}
