package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
	"redress/internal/export"
	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/store"
	"redress/internal/storetest"
)

type fixture struct {
	ex  *export.Exporter
	org *storetest.Org
}

// newFixture registers five petitions on 2026-03-02 (ids 1–5, exported newest first):
// 1 assigned to 市住建局, its title looks like a formula; 2 an accusation
// against 市人社局, assigned to 市住建局; 3–5 registered only.
func newFixture(t *testing.T) *fixture {
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location) }
	svc := lifecycle.New(st, now)
	ctx := context.Background()
	for i := 1; i <= 5; i++ {
		rec := intake.Record{
			ExternalID: fmt.Sprintf("E-%d", i), ReceivedAt: now().Add(-30 * time.Minute), Channel: "hotline",
			PetitionerName: fmt.Sprintf("王秀兰%d", i), Phone: "13904291234",
			DistrictCode: "211402", Address: "连山区站前街道幸福小区3号楼", Title: fmt.Sprintf("供暖不热%d", i),
			Content: "小区室温长期低于16度，多次反映未解决。",
		}
		if i == 1 {
			rec.Title = "=1+1 供暖不热"
		}
		if i == 2 {
			rec.Accusation, rec.AccusedUnitCode, rec.Title = true, "211400-rsj", "检举人社局工作人员"
		}
		r, err := svc.Register(ctx, o.Users["bureau"], rec, true)
		if err != nil {
			t.Fatal(err)
		}
		if i <= 2 {
			for _, a := range []lifecycle.Action{lifecycle.Accept, lifecycle.Assign} {
				if _, err := svc.Do(ctx, o.Users["bureau"], r.ID, a, lifecycle.Input{UnitCode: "211400-zjj"}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return &fixture{ex: export.New(st, now).WithPageSize(2), org: o}
}

func (f *fixture) csv(t *testing.T, who string, filter store.Filter) ([][]string, []int) {
	t.Helper()
	var buf bytes.Buffer
	var progress []int
	n, err := f.ex.CSV(context.Background(), &buf, f.org.Users[who], filter, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\uFEFF") {
		t.Fatalf("no byte-order mark: %q", raw[:min(10, len(raw))])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("parse csv: %v", err)
	}
	if n != len(rows)-1 {
		t.Errorf("returned %d rows, wrote %d", n, len(rows)-1)
	}
	return rows, progress
}

func col(name string) int { return slices.Index(export.Headers, name) }

func TestCSVScopeMaskingAndProgress(t *testing.T) {
	f := newFixture(t)
	rows, progress := f.csv(t, "bureau", store.Filter{})
	if !slices.Equal(rows[0], export.Headers) || rows[0][0] != "受理编号" {
		t.Fatalf("header %v", rows[0])
	}
	if len(rows) != 6 {
		t.Fatalf("bureau: %d rows, want 5", len(rows)-1)
	}
	if fmt.Sprint(progress) != "[2 4 5]" {
		t.Errorf("progress %v, want [2 4 5] (pages of 2)", progress)
	}
	// Newest first: row 1 is petition 5, row 5 is petition 1.
	first, last := rows[1], rows[5]
	if first[col("受理编号")] != "5" || last[col("受理编号")] != "1" {
		t.Errorf("order: %s … %s", first[0], last[0])
	}
	want := map[string]string{"收到时间": "2026-03-02 08:30", "渠道": "12345热线", "信访人": "王秀兰1", "地址": "连山区站前街道幸福小区3号楼",
		"属地": "连山区", "标题": "'=1+1 供暖不热", "状态": "已交办", "责任单位": "市住建局", "下一期限": "2026-03-17", "是否超期": "否"}
	for k, v := range want {
		if last[col(k)] != v {
			t.Errorf("%s = %q, want %q", k, last[col(k)], v)
		}
	}
	if first[col("状态")] != "已登记" || first[col("责任单位")] != "" {
		t.Errorf("registered petition: %v", first)
	}

	// The handler of 市住建局 sees its two; the accuser is hidden from it.
	rows, _ = f.csv(t, "zjj", store.Filter{})
	if len(rows) != 3 {
		t.Fatalf("zjj: %d rows, want 2", len(rows)-1)
	}
	acc := rows[1]
	if acc[col("受理编号")] != "2" || acc[col("信访人")] != "（信访人信息保密）" || acc[col("地址")] != "" {
		t.Errorf("accusation as seen by a handler: %v", acc)
	}
	if rows[2][col("信访人")] != "王秀兰1" || rows[2][col("地址")] != "连山区站前街道幸福小区3号楼" {
		t.Errorf("handler sees name and address: %v", rows[2])
	}
	// An inspector sees names but not full addresses.
	rows, _ = f.csv(t, "inspector", store.Filter{})
	if len(rows) != 6 || rows[1][col("地址")] != "连山区站前街****" {
		t.Errorf("inspector: %d rows, address %q", len(rows)-1, rows[1][col("地址")])
	}
	// 人社局 sees nothing: no case is its, and the accusation is against it.
	rows, progress = f.csv(t, "rsj", store.Filter{})
	if len(rows) != 1 || fmt.Sprint(progress) != "[0]" {
		t.Errorf("rsj: %d rows, progress %v", len(rows)-1, progress)
	}
	// A filter narrows, and a caller cannot widen its scope through it.
	rows, _ = f.csv(t, "zjj", store.Filter{State: "registered", Scope: &store.Scope{All: true}})
	if len(rows) != 1 {
		t.Errorf("zjj with a forged scope: %d rows, want 0", len(rows)-1)
	}
}

func TestXLSX(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	var progress []int
	n, err := f.ex.XLSX(context.Background(), &buf, f.org.Users["zjj"], store.Filter{}, func(done int) { progress = append(progress, done) })
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || fmt.Sprint(progress) != "[2]" {
		t.Errorf("%d rows, progress %v", n, progress)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer x.Close()
	if sheets := x.GetSheetList(); len(sheets) != 1 || sheets[0] != "信访件" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := x.GetRows("信访件")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || !slices.Equal(rows[0], export.Headers) {
		t.Fatalf("rows %v", rows)
	}
	cell := func(ref string) string {
		v, err := x.GetCellValue("信访件", ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if cell("A2") != "2" || cell("E2") != "（信访人信息保密）" || cell("F2") != "" {
		t.Errorf("accusation row: %v", rows[1])
	}
	if cell("E3") != "王秀兰1" || cell("H3") != "=1+1 供暖不热" || cell("G3") != "连山区" || cell("J3") != "市住建局" {
		t.Errorf("row 3: %v", rows[2])
	}
	if f, err := x.GetCellFormula("信访件", "H3"); err != nil || f != "" {
		t.Errorf("a title became a formula: %q %v", f, err)
	}
}

func TestFormats(t *testing.T) {
	if _, err := export.ParseFormat("pdf"); err == nil {
		t.Error("pdf accepted")
	}
	fm, err := export.ParseFormat("xlsx")
	if err != nil || fm.Filename(calendar.NewDate(2026, 3, 2)) != "信访件_2026-03-02.xlsx" || !strings.Contains(fm.ContentType(), "spreadsheetml") {
		t.Errorf("xlsx: %v %s", err, fm.ContentType())
	}
}
