package web

import (
	"log/slog"
	"slices"

	"redress/internal/org"
	"redress/internal/store"
)

// repCaseInfo is the repeats section of a case page: the case's matter,
// its repeat candidates, its 容缺 items, and whether the reader may make a
// resolution template from it.
type repCaseInfo struct {
	PetitionID  int64
	Matter      store.MatterInfo
	Candidates  []store.RepeatCandidate
	Items       []store.Deficiency
	Reader      bool // may open candidates and matters
	CanTemplate bool
}

// RepCase reads the repeats section for the case page being rendered (nil
// when the page is not a case or a read fails; the section is then left out).
func (v *view) RepCase() *repCaseInfo {
	p, ok := v.Data.(casePage)
	if !ok || v.request == nil {
		return nil
	}
	ctx := v.request.Context()
	pt := p.View.Petition
	info := &repCaseInfo{PetitionID: pt.ID, Reader: slices.Contains(repReaders, v.User.Role),
		CanTemplate: v.User.Role == org.RoleBureau && (pt.ReplyText != "" || pt.ReviewText != "")}
	var err error
	if pt.MatterID != 0 {
		if info.Matter, err = v.w.st.Matter(ctx, pt.MatterID); err != nil {
			slog.Error("case page: matter", "petition", pt.ID, "err", err)
			return nil
		}
	}
	if info.Reader {
		if info.Candidates, err = v.w.st.RepeatCandidates(ctx, store.CandidateFilter{PetitionID: pt.ID, Limit: 20}); err != nil {
			slog.Error("case page: repeat candidates", "petition", pt.ID, "err", err)
			return nil
		}
	}
	if info.Items, err = v.w.st.Deficiencies(ctx, store.DeficiencyFilter{PetitionID: pt.ID}); err != nil {
		slog.Error("case page: 容缺 items", "petition", pt.ID, "err", err)
		return nil
	}
	return info
}
