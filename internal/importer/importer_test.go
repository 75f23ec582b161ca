package importer_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
	"redress/internal/importer"
	"redress/internal/lifecycle"
	"redress/internal/storetest"
)

func sheet(t *testing.T, rows [][]any) *bytes.Buffer {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

// TestXLSX: a hotline-style sheet with Chinese headers, channel and district
// names is checked row by row (row numbers as the user sees them), stored
// whole, and a second import of the same sheet changes nothing.
func TestXLSX(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	org := storetest.Seed(t, st)
	now := time.Date(2026, 3, 20, 10, 0, 0, 0, calendar.Location)
	svc := lifecycle.New(st, func() time.Time { return now })
	head := []any{"工单编号", "来电时间", "渠道", "来电人", "联系电话", "属地", "地址", "诉求标题", "诉求内容", "备注"}
	good := [][]any{head,
		{"RX-1", "2026-03-02 09:30", "12345热线", "王秀兰", "13904291234", "211402", "连山区幸福小区3号楼", "供暖不热", "室温长期低于16度。", "x"},
		{"RX-2", "2026/3/3 10:00", "来信", "李强", "13904291235", "211402", "连山区站前街道", "噪音扰民", "夜间施工噪音很大。", ""},
		{}, // an empty row is skipped
	}
	c, err := importer.Check(ctx, svc, sheet(t, good), importer.XLSX, nil)
	if err != nil || len(c.Rejects) != 0 || len(c.Good) != 2 || c.GoodLines[1] != 3 {
		t.Fatalf("check: %+v %v", c, err)
	}
	s, err := importer.Store(ctx, svc, org.Users["bureau"], c, nil)
	if err != nil || s.Created != 2 {
		t.Fatalf("store: %+v %v", s, err)
	}
	c, _ = importer.Check(ctx, svc, sheet(t, good), importer.XLSX, nil)
	if s, err := importer.Store(ctx, svc, org.Users["bureau"], c, nil); err != nil || s.Created != 0 || s.Existing != 2 {
		t.Fatalf("re-import: %+v %v", s, err)
	}

	bad := [][]any{head,
		{"RX-3", "yesterday", "来信", "王秀兰", "13904291234", "211402", "地址", "标题", "内容", ""},
		{"RX-4", "2026-03-02 09:30", "传真", "王秀兰", "13904291234", "211402", "地址", "标题", "内容", ""},
		{"RX-5", "2026-03-02 09:30", "来信", "王秀兰", "13904291234", "211402", "地址", "标题", "内容", ""},
		{"RX-5", "2026-03-02 09:30", "来信", "王秀兰", "13904291234", "211402", "地址", "标题", "内容", ""},
	}
	c, err = importer.Check(ctx, svc, sheet(t, bad), importer.XLSX, nil)
	if err != nil || len(c.Rejects) != 3 || len(c.Good) != 1 {
		t.Fatalf("bad sheet: %+v %v", c, err)
	}
	for i, want := range []string{"received_at", "channel", "already appears on line 4"} {
		if !strings.Contains(c.Rejects[i].Error, want) || c.Rejects[i].Line != []int{2, 3, 5}[i] {
			t.Errorf("reject %d: %+v, want %q", i, c.Rejects[i], want)
		}
	}
	if _, err := importer.Check(ctx, svc, sheet(t, [][]any{{"a", "b"}, {"1", "2"}}), importer.XLSX, nil); err == nil ||
		!strings.Contains(err.Error(), "row 1") {
		t.Fatalf("sheet without a header: %v", err)
	}
	if _, err := importer.Check(ctx, svc, strings.NewReader("not a zip"), importer.XLSX, nil); err == nil {
		t.Fatal("a non-workbook was read")
	}
}

// TestProgress: Check and Store report progress up to the total.
func TestProgress(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	org := storetest.Seed(t, st)
	svc := lifecycle.New(st, nil)
	var b strings.Builder
	for i := range 450 {
		b.WriteString(`{"external_id":"P-` + strconv.Itoa(i) + `","received_at":"2026-03-02T09:00:00+08:00","channel":"letter","petitioner_name":"王秀兰","phone":"13904291234","district_code":"211402","address":"连山区","title":"供暖","content":"室温低"}` + "\n")
	}
	var seen []int
	c, err := importer.Check(ctx, svc, strings.NewReader(b.String()), importer.JSONL, func(done, total int) { seen = append(seen, done) })
	if err != nil || len(c.Good) != 450 || seen[len(seen)-1] != 450 || len(seen) < 3 {
		t.Fatalf("check progress %v (%d good, %v)", seen, len(c.Good), err)
	}
	seen = nil
	if _, err := importer.Store(ctx, svc, org.Users["bureau"], c, func(done, total int) { seen = append(seen, done) }); err != nil ||
		seen[len(seen)-1] != 450 || len(seen) < 3 {
		t.Fatalf("store progress %v (%v)", seen, err)
	}
}
