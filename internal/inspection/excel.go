package inspection

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"redress/internal/calendar"
)

// Sheet names of the exported report.
const (
	SheetSummary        = "概况"
	SheetCases          = "案件"
	SheetRectifications = "整改"
)

func pct(p *float64) any {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *p*100)
}

func dates(ds []calendar.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, "、")
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// WriteExcel writes the report as an Excel workbook: a summary sheet, one
// row per case, and the rectification items.
func WriteExcel(w io.Writer, rep Report) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("excel: %w", err)
	}
	for _, s := range []string{SheetCases, SheetRectifications} {
		if _, err := x.NewSheet(s); err != nil {
			return fmt.Errorf("excel: %w", err)
		}
	}
	in, s, r := rep.Inspection, rep.Summary, rep.Rates
	summary := [][]any{
		{"巡察报告（草稿）", rep.Unit.Name},
		{"单位负责人", strings.TrimSpace(rep.Unit.HeadTitle + " " + rep.Unit.HeadName)},
		{"巡察期间", in.From.String() + " 至 " + in.To.String()},
		{"积案标准（天）", in.BacklogDays},
		{"重复件及积案数", s.Cases},
		{"其中重复件", s.Repeat},
		{"其中积案", s.Backlog},
		{"一把手见过信访人的件数", s.HeadMet},
		{"召开研究会议的件数", s.StudyMeetingHeld},
		{"有逾期的件数", s.WithMissed},
		{"已化解件数", s.Resolved},
		{"化解率", pct(s.ResolutionRate)},
		{"退单次数", s.Returns},
		{"督办次数", s.Escalations},
		{"交办件数（期间）", r.Cases},
		{"响应率", pct(r.Response)},
		{"按期办结率", pct(r.OnTimeRate)},
		{"解决率", pct(r.Resolution)},
		{"满意率", pct(r.Satisfaction)},
		{"综合得分", pct(r.Composite)},
		{"未完成整改事项", s.OpenRectification},
		{"生成时间", rep.DraftedAt.In(calendar.Location).Format("2006-01-02 15:04")},
	}
	if err := writeRows(x, SheetSummary, summary); err != nil {
		return err
	}
	cases := [][]any{{"编号", "标题", "状态", "登记日期", "重复件", "同一事项件数", "积案", "办理天数",
		"一把手是否见过信访人", "见面次数", "见面日期", "是否召开研究会议", "会议次数", "会议日期", "逾期期限", "退单次数", "督办次数", "已化解"}}
	for _, c := range rep.Cases {
		missed := make([]string, len(c.MissedDeadlines))
		for i, m := range c.MissedDeadlines {
			missed[i] = m.Kind + "（" + m.DueOn.String() + "）"
		}
		cases = append(cases, []any{c.TrackingCode, c.Title, c.State, c.ReceivedOn.String(), yesNo(c.Repeat), c.MatterPetitions, yesNo(c.Backlog),
			c.DaysOpen, yesNo(c.HeadMet), c.HeadMeetings, dates(c.HeadMeetingDates), yesNo(c.StudyMeetingHeld), c.StudyMeetings,
			dates(c.StudyMeetingDates), strings.Join(missed, "；"), c.Returns, escalationText(c), yesNo(c.Resolved)})
	}
	if err := writeRows(x, SheetCases, cases); err != nil {
		return err
	}
	rects := [][]any{{"序号", "问题", "责任人", "整改期限", "状态", "完成情况"}}
	for _, it := range rep.Rectifications {
		state := "整改中"
		if it.State == "done" {
			state = "已完成"
		}
		rects = append(rects, []any{it.ID, it.Finding, it.OwnerName, it.DueOn.String(), state, it.DoneNote})
	}
	if err := writeRows(x, SheetRectifications, rects); err != nil {
		return err
	}
	if _, err := x.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func escalationText(c CaseFinding) any {
	if c.Escalations == 0 {
		return 0
	}
	keys := make([]string, 0, len(c.EscalationsBy))
	for k := range c.EscalationsBy {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, c.EscalationsBy[k])
	}
	return fmt.Sprintf("%d（%s）", c.Escalations, strings.Join(parts, "，"))
}

func writeRows(x *excelize.File, sheet string, rows [][]any) error {
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return fmt.Errorf("excel: %w", err)
		}
		r := row
		if err := x.SetSheetRow(sheet, cell, &r); err != nil {
			return fmt.Errorf("excel row %d of %s: %w", i+1, sheet, err)
		}
	}
	return nil
}
