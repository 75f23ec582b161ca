package inspection_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"redress/internal/inspection"
	"redress/internal/inspection/inspectiontest"
	"redress/internal/lifecycle"
	"redress/internal/notices"
	"redress/internal/storetest"
)

// TestDocumentAndList: the formal document states the crafted answers, prints
// as a PDF, and each role lists only the inspections it may read.
func TestDocumentAndList(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t)
	o := storetest.Seed(t, st)
	var now time.Time
	lc := lifecycle.New(st, func() time.Time { return now })
	h := inspectiontest.Build(t, st, o, lc, func(t time.Time) { now = t })
	in, err := inspection.Open(ctx, st, o.Users["inspector"], inspectiontest.Unit, date(1, 1), date(6, 30), 60, now)
	if err != nil {
		t.Fatal(err)
	}
	due := date(7, 10)
	if _, err := inspection.AddRectification(ctx, st, o.Users["inspector"], in.ID, inspection.RectificationInput{PetitionID: h.P1,
		Finding: "未召开专题会议研究解决方案", OwnerName: "周局长", DueOn: &due}, now); err != nil {
		t.Fatal(err)
	}
	rep, err := inspection.Draft(ctx, st, in.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	doc := inspection.Document(rep, notices.DefaultOptions())
	body := strings.Join(doc.Paragraphs, "\n")
	for _, want := range []string{"共有重复件及积案3件，其中重复件2件、积案3件", "一把手见过信访人2次（2026-02-10、2026-03-15）",
		"召开研究会议1次（2026-02-20）", "办理答复期限2026-01-20到期，至今未办结", "退单1次", "退单0次，被督办2次（督办1次、报市委1次）",
		"化解率66.7%", "1. 未召开专题会议研究解决方案（责任人：周局长，整改期限：2026-07-10，整改中）"} {
		if !strings.Contains(body, want) {
			t.Errorf("document lacks %q:\n%s", want, body)
		}
	}
	if !strings.HasPrefix(doc.Number, "葫巡〔2026〕") {
		t.Errorf("number %q", doc.Number)
	}
	var pdf bytes.Buffer
	if err := doc.PDF(&pdf); err != nil || !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) {
		t.Fatalf("pdf %d bytes: %v", pdf.Len(), err)
	}

	tree, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for login, want := range map[string]int{"inspector": 1, "leader": 1, "bureau": 1, "zjj-head": 1, "zjj": 1, "rsj": 0, "xc-zjj": 0} {
		list, err := inspection.List(ctx, st, o.Users[login], tree)
		if err != nil || len(list) != want {
			t.Errorf("%s lists %d inspections (%v), want %d", login, len(list), err, want)
		}
		if want == 1 && (list[0].Rectifications != 1 || list[0].OpenRectifications != 1) {
			t.Errorf("%s: counts %+v", login, list[0])
		}
	}
	if read, full := inspection.Reader(o.Users["zjj-head"], tree, rep.Unit.ID); !read || full {
		t.Errorf("the head reads %v full %v", read, full)
	}
	if read, _ := inspection.Reader(o.Users["rsj"], tree, rep.Unit.ID); read {
		t.Error("another unit reads the report")
	}
}
