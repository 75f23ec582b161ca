package matters_test

import (
	"context"
	"testing"

	"redress/internal/failure"
	"redress/internal/matters"
)

func TestDetachMatterAndMatterList(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bureau, leader, zjj := f.org.Users["bureau"], f.org.Users["leader"], f.org.Users["zjj"]
	a := f.register(heating(0))
	b := f.register(heating(1))
	cs := f.candidates(b.ID)
	if len(cs) == 0 {
		t.Fatal("no candidate")
	}
	out, err := f.ms.Confirm(ctx, bureau, cs[0].ID, matters.Decision{})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := f.st.Matters(ctx, 2, 10)
	if err != nil || len(ms) != 1 || ms[0].ID != out.MatterID || ms[0].Petitions != 2 || ms[0].Petitioners != 1 || ms[0].Channels != 1 || ms[0].Open != 1 {
		t.Fatalf("matters %+v %v (a %d)", ms, err, a.ID)
	}
	p, err := f.ms.CreateProblem(ctx, leader, matters.ProblemInput{Title: "幸福小区供暖"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ms.AttachMatter(ctx, bureau, p.ID, out.MatterID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.ms.DetachMatter(ctx, zjj, p.ID, out.MatterID); failure.Public(err).Code != failure.CodeForbidden {
		t.Fatalf("a handler detached: %v", err)
	}
	p, err = f.ms.DetachMatter(ctx, bureau, p.ID, out.MatterID)
	if err != nil || len(p.MatterIDs) != 0 || p.Petitions != 0 {
		t.Fatalf("after detach %+v %v", p, err)
	}
	if _, err := f.ms.DetachMatter(ctx, bureau, p.ID, out.MatterID); failure.Public(err).Code != failure.CodeInvalid {
		t.Fatalf("detached twice: %v", err)
	}
}
