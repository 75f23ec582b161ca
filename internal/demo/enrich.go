package demo

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"redress/internal/calendar"
	"redress/internal/commitments"
	"redress/internal/engagement"
	"redress/internal/failure"
	"redress/internal/inspection"
	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/ranking"
	"redress/internal/store"
)

// EnrichResult counts what Enrich recorded.
type EnrichResult struct {
	Confirmed, Rejected, Problems, Receptions, Meetings, FollowUps, Commitments int
}

// Enrich gives the demo the work that follows intake, each piece through
// the same domain services the UI and API use: the registrar decides about
// two thirds of the repeat candidates (the rest stay in the queue), the city
// leaders take the largest matters on as hard problems (老大难) with plans
// and milestones, unit heads receive petitioners and hold study meetings,
// the bureau calls petitioners back after replies (回访), the leaders make
// their yearly commitments, a joint meeting leaves a checklist, and the
// inspector opens an inspection of the city housing bureau.
//
// Run it once, after demo.Load and after the repeat detector has signed the
// demo petitions (candidates exist only then). now is the demo's today.
func Enrich(ctx context.Context, svc *lifecycle.Service, now time.Time, progress io.Writer) (EnrichResult, error) {
	var res EnrichResult
	st := svc.Store()
	users, err := st.Users(ctx)
	if err != nil {
		return res, err
	}
	byLogin := map[string]org.User{}
	for _, u := range users {
		byLogin[u.Login] = u
	}
	need := func(login string) (org.User, error) {
		u, ok := byLogin[login]
		if !ok {
			return u, fmt.Errorf("demo enrich: the demo user %q is missing", login)
		}
		return u, nil
	}
	bureau, err := need("bureau")
	if err != nil {
		return res, err
	}
	leader, err := need("leader")
	if err != nil {
		return res, err
	}
	leader2, err := need("leader2")
	if err != nil {
		return res, err
	}
	inspector, err := need("inspector")
	if err != nil {
		return res, err
	}
	tree, err := st.Units(ctx)
	if err != nil {
		return res, err
	}
	ms := matters.New(svc)
	today := calendar.DateOf(now)
	day := func(n int) calendar.Date { return calendar.DateOf(now.AddDate(0, 0, n)) }

	// 1. Repeat candidates: confirm two of three (one of those three without
	// new facts), reject one in ten; the rest wait for the registrar.
	cands, err := st.RepeatCandidates(ctx, store.CandidateFilter{Decision: store.DecisionPending, Limit: 1000})
	if err != nil {
		return res, err
	}
	matterIDs := map[int64]bool{}
	for i, c := range cands {
		switch {
		case i%10 == 9:
			if _, err := ms.Reject(ctx, bureau, c.ID, "内容不同，不是同一事项"); err != nil && !refused(err) {
				return res, err
			}
			res.Rejected++
		case i%3 != 2:
			out, err := ms.Confirm(ctx, bureau, c.ID, matters.Decision{NewFacts: i%3 == 1, Note: "同一事项"})
			if err != nil {
				if !refused(err) {
					return res, err
				}
				continue
			}
			matterIDs[out.MatterID] = true
			res.Confirmed++
		}
	}

	// 2. The largest matters become problems led by the city leaders.
	var infos []store.MatterInfo
	for id := range matterIDs {
		m, err := st.Matter(ctx, id)
		if err != nil {
			if errors.Is(err, store.ErrNotFound) {
				continue // merged into another
			}
			return res, err
		}
		if m.MergedInto == 0 {
			infos = append(infos, m)
		}
	}
	slices.SortFunc(infos, func(a, b store.MatterInfo) int {
		return cmp.Or(cmp.Compare(b.Petitions, a.Petitions), cmp.Compare(a.ID, b.ID))
	})
	plans := []struct {
		lead               org.User
		plan, m1, m2, note string
	}{
		{leader, "包案领导牵头，相关职能部门联合会商，逐户核查建档，分类处置", "完成逐户摸底建档", "出具化解方案并报市委审定", "已召开专题调度会，明确责任分工"},
		{leader, "属地政府牵头，主管部门配合，现场核查后限期整改", "现场核查并形成整改清单", "整改完成并回访信访人", "已约见信访人代表"},
		{leader2, "主管部门牵头，依法依规逐项研究，能解决的立即解决，一时解决不了的明确时限", "完成调查取证", "落实化解措施并回访", "已督促责任单位制定时间表"},
	}
	for i := 0; i < len(plans) && i < len(infos); i++ {
		m, pl := infos[i], plans[i]
		p, err := ms.CreateProblem(ctx, pl.lead, matters.ProblemInput{Title: "老大难：" + m.Title, Plan: pl.plan,
			Description: fmt.Sprintf("该事项自%s起反复信访%d次，涉及信访人%d人。", m.FirstOn, m.Petitions, m.Petitioners)})
		if err != nil {
			return res, fmt.Errorf("demo problem: %w", err)
		}
		if _, err := ms.AttachMatter(ctx, pl.lead, p.ID, m.ID); err != nil {
			return res, fmt.Errorf("demo problem %d: attach matter %d: %w", p.ID, m.ID, err)
		}
		for j, t := range []string{pl.m1, pl.m2} {
			due := day(10 + 20*j - 15*(1-i%2))
			ms1, err := ms.AddMilestone(ctx, pl.lead, p.ID, matters.MilestoneInput{Title: t, DueOn: due})
			if err != nil {
				return res, fmt.Errorf("demo milestone: %w", err)
			}
			if j == 0 && i%2 == 1 {
				if err := ms.CompleteMilestone(ctx, pl.lead, p.ID, ms1.ID); err != nil {
					return res, fmt.Errorf("demo milestone: %w", err)
				}
			}
		}
		if _, err := ms.AddNote(ctx, pl.lead, p.ID, pl.note); err != nil {
			return res, fmt.Errorf("demo problem note: %w", err)
		}
		res.Problems++
	}

	// 3. Heads receive the petitioners of open cases in their units, and
	// hold study meetings on them.
	es := engagement.New(svc)
	heads := map[int64]org.User{}
	for _, u := range users {
		if u.Role == org.RoleHead {
			if _, dup := heads[u.UnitID]; !dup {
				heads[u.UnitID] = u
			}
		}
	}
	open, err := st.ListPetitions(ctx, store.Filter{State: petition.Handling, Limit: 500, Today: today})
	if err != nil {
		return res, err
	}
	kinds := engagement.Kinds
	meetings := map[int64][]int64{} // unit → cases for its study meeting
	for i, p := range open.Items {
		head, ok := heads[p.UnitID]
		unit, uok := tree.Unit(p.UnitID)
		if !ok || !uok || i%3 == 2 {
			continue
		}
		held := day(-(1 + i%20))
		_, err = es.RecordReception(ctx, head, engagement.ReceptionInput{Kind: kinds[i%len(kinds)], UnitCode: unit.Code,
			LeaderName: head.Name, LeaderTitle: "主要负责人", IsHead: true, HeldOn: &held, Place: unit.Name + "接待室",
			Promised: "十五个工作日内答复处理意见", PetitionIDs: []int64{p.ID}}, now)
		if err != nil {
			if !refused(err) {
				return res, fmt.Errorf("demo reception: %w", err)
			}
			continue
		}
		res.Receptions++
		if len(meetings[p.UnitID]) < 3 {
			meetings[p.UnitID] = append(meetings[p.UnitID], p.ID)
		}
	}
	unitIDs := make([]int64, 0, len(meetings))
	for id := range meetings {
		unitIDs = append(unitIDs, id)
	}
	slices.Sort(unitIDs)
	for i, id := range unitIDs {
		if i >= 6 {
			break
		}
		head, unit := heads[id], must(tree.Unit(id))
		held := day(-(2 + i))
		ids := meetings[id]
		_, err = es.RecordMeeting(ctx, head, engagement.MeetingInput{UnitCode: unit.Code, HeldOn: &held, Place: unit.Name + "会议室",
			Chair: head.Name, Attendees: []string{head.Name, "分管负责人", "经办科室负责人"}, PetitionIDs: ids,
			Decisions: []engagement.DecisionInput{{PetitionID: ids[0], Text: "明确专人负责，五个工作日内完成现场核查"}}}, now)
		if err != nil {
			if !refused(err) {
				return res, fmt.Errorf("demo study meeting: %w", err)
			}
			continue
		}
		res.Meetings++
	}

	// 4. Follow-ups (回访) after replies: most satisfied, some not.
	replied, err := st.ListPetitions(ctx, store.Filter{State: petition.Replied, Limit: 200, Today: today})
	if err != nil {
		return res, err
	}
	results := []string{ranking.Satisfied, ranking.Satisfied, ranking.Basic, ranking.Satisfied, ranking.Dissatisfied}
	for i, p := range replied.Items {
		if i%4 == 3 {
			continue
		}
		r := results[i%len(results)]
		note := map[string]string{ranking.Satisfied: "对处理结果满意", ranking.Basic: "基本认可，希望尽快落实",
			ranking.Dissatisfied: "认为答复未解决实际问题"}[r]
		if _, err := ranking.RecordFollowUp(ctx, svc, bureau, p.ID, r, note, now); err != nil {
			if !refused(err) {
				return res, fmt.Errorf("demo follow-up: %w", err)
			}
			continue
		}
		res.FollowUps++
	}

	// 5. The leaders' yearly commitments, a joint meeting's checklist.
	year := now.Year()
	for _, c := range []struct {
		u           org.User
		kind, title string
		target      string
	}{
		{leader, "hard_problem", "化解龙港区回迁小区办证难问题", "年底前完成全部回迁户不动产登记"},
		{leader, "hard_problem", "解决农民工工资拖欠重复信访", "欠薪案件动态清零"},
		{leader, "reform", "推行容缺受理办证模式", "形成可复制的制度文件"},
		{leader2, "hard_problem", "老旧小区供暖不达标问题", "供暖季室温达标率95%以上"},
		{leader2, "reform", "12345热线与信访系统数据互通", "热线工单与信访件统一编号、统一督办"},
	} {
		created, err := commitments.Create(ctx, st, c.u, commitments.CommitmentInput{Year: year, LeaderName: c.u.Name,
			UnitCode: CityCode, Kind: c.kind, Title: c.title, Target: c.target}, now)
		if err != nil {
			return res, fmt.Errorf("demo commitment: %w", err)
		}
		if _, err := commitments.AddProgress(ctx, st, c.u, created.ID, "已召开推进会，明确时间表和责任单位", now); err != nil {
			return res, fmt.Errorf("demo commitment progress: %w", err)
		}
		res.Commitments++
	}
	due1 := day(10)
	due2 := day(3)
	_, err = commitments.CreateChecklist(ctx, st, leader, commitments.ChecklistInput{Title: "信访工作联席会议任务清单", Meeting: "第四季度联席会议",
		Items: []commitments.ItemInput{
			{Title: "回迁小区办证问题逐户建档", UnitCode: DeptCode(CityCode, "zrzyj"), DueOn: &due1},
			{Title: "欠薪线索联合执法", UnitCode: DeptCode(CityCode, "rsj"), DueOn: &due2},
			{Title: "老旧小区供暖设施改造", UnitCode: DeptCode(CityCode, "zjj"), DueOn: &due1},
		}}, now)
	if err != nil {
		return res, fmt.Errorf("demo checklist: %w", err)
	}

	// 6. The inspector opens an inspection of the city housing bureau over
	// the last six months and records one finding.
	from := calendar.DateOf(now.AddDate(0, -6, 0))
	insp, err := inspection.Open(ctx, st, inspector, DeptCode(CityCode, "zjj"), from, today, 90, now)
	if err != nil {
		return res, fmt.Errorf("demo inspection: %w", err)
	}
	rdue := day(20)
	if _, err := inspection.AddRectification(ctx, st, inspector, insp.ID, inspection.RectificationInput{
		Finding: "部分重复信访件主要负责人未见面接谈", OwnerName: "市住建局主要负责人", DueOn: &rdue}, now); err != nil {
		return res, fmt.Errorf("demo rectification: %w", err)
	}
	if progress != nil {
		fmt.Fprintf(progress, "demo work: %d repeats confirmed, %d rejected, %d problems, %d receptions, %d study meetings, %d follow-ups, %d commitments\n",
			res.Confirmed, res.Rejected, res.Problems, res.Receptions, res.Meetings, res.FollowUps, res.Commitments)
	}
	return res, nil
}

// refused reports whether err is a domain refusal (the demo plan asked for
// something the rules do not allow in that case's state), not a fault.
func refused(err error) bool {
	var fe *failure.Error
	return errors.As(err, &fe) && fe.Status < 500
}

func must(u org.Unit, ok bool) org.Unit {
	if !ok {
		panic("demo: unit vanished")
	}
	return u
}
