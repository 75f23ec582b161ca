package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"redress/internal/importer"
	"redress/internal/lifecycle"
	"redress/internal/storetest"
)

// TestImportBeatDuringBatch: the job's record is refreshed while the batch
// is written in one transaction, and that never waits for the transaction
// it runs inside (on SQLite's single writer that would hang the import for
// ever). The beat is made short so that many fall inside the batch.
func TestImportBeatDuringBatch(t *testing.T) {
	defer func(b time.Duration) { importBeat = b }(importBeat)
	importBeat = time.Millisecond
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	svc := lifecycle.New(st, time.Now)
	w, err := New(svc, Options{SessionTTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u := o.Users["bureau"]
	j := &importJob{ID: "beat", Owner: u.ID, File: "批量.jsonl", started: svc.Now(), phase: "checking"}
	if err := w.saveImport(ctx, j, u); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range 1500 {
		lines = append(lines, fmt.Sprintf(`{"external_id":"B-%d","received_at":"2026-03-02T09:00:00+08:00","channel":"hotline","petitioner_name":"王秀兰","phone":"139%08d","district_code":"211402","address":"连山区","title":"供暖不热","content":"室温长期低于16度，第%d户。"}`, i, i, i))
	}
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		w.runImport(ctx, j, u, "zh-CN", importer.JSONL, []byte(strings.Join(lines, "\n")))
	}()
	select {
	case <-ended:
	case <-time.After(3 * time.Minute): // a watchdog, not a speed target
		t.Fatal("the import never ended: a progress record waited for the batch's own transaction")
	}
	rec, err := st.ImportJob(ctx, "beat")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Phase != "done" || rec.Created != 1500 || rec.FinishedAt == nil {
		t.Fatalf("recorded %+v, want done with 1500 created", rec)
	}
}
