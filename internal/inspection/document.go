package inspection

import (
	"fmt"
	"strings"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/export"
	"redress/internal/notices"
	"redress/internal/petition"
)

// Number is the report's document number: 葫巡〔2026〕3号.
func Number(rep Report, opt notices.Options) string {
	return fmt.Sprintf("%s巡〔%d〕%d号", opt.Abbrev, rep.DraftedAt.In(calendar.Location).Year(), rep.Inspection.ID)
}

// Issuer is the letterhead of inspection reports: 葫芦岛市信访工作巡察组.
func Issuer(opt notices.Options) string { return opt.City + "信访工作巡察组" }

// Title is the report's title: 关于市住建局信访工作的巡察报告.
func Title(rep Report) string { return "关于" + rep.Unit.Name + "信访工作的巡察报告" }

var escalationNames = map[string]string{"reminder": "提醒", "supervision": "督办", "party_report": "报市委"}

func pctZH(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", *p*100)
}

func datesZH(ds []calendar.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, "、")
}

// Document is the report as a formal document, printed through the
// notices' PDF machinery (A4, letterhead, number, signature and seal).
func Document(rep Report, opt notices.Options) *notices.Notice {
	in, s, r := rep.Inspection, rep.Summary, rep.Rates
	today := calendar.DateOf(rep.DraftedAt)
	head := strings.TrimSpace(rep.Unit.HeadTitle + rep.Unit.HeadName)
	ps := []string{
		fmt.Sprintf("根据工作安排，巡察组对%s%s至%s期间的信访工作进行了巡察，重点检查重复信访件和积案（办理超过%d日）的化解情况。现将有关情况报告如下：",
			rep.Unit.Name, in.From, in.To, in.BacklogDays),
		"一、总体情况",
		fmt.Sprintf("巡察期间该单位共有重复件及积案%d件，其中重复件%d件、积案%d件。单位主要负责人（%s）见过信访人的%d件，召开研究会议的%d件，有逾期期限的%d件，已化解%d件，化解率%s；共退单%d次，被督办%d次。",
			s.Cases, s.Repeat, s.Backlog, head, s.HeadMet, s.StudyMeetingHeld, s.WithMissed, s.Resolved, pctZH(s.ResolutionRate), s.Returns, s.Escalations),
		fmt.Sprintf("期间交办该单位的有效件%d件，响应率%s，按期办结率%s，解决率%s，满意率%s，综合得分%s。",
			r.Cases, pctZH(r.Response), pctZH(r.OnTimeRate), pctZH(r.Resolution), pctZH(r.Satisfaction), pctZH(r.Composite)),
		"二、逐案情况",
	}
	if len(rep.Cases) == 0 {
		ps = append(ps, "巡察期间该单位无重复件和积案。")
	}
	for i, c := range rep.Cases {
		var kind []string
		if c.Repeat {
			kind = append(kind, fmt.Sprintf("重复件，同一事项%d件", c.MatterPetitions))
		}
		if c.Backlog {
			kind = append(kind, "积案")
		}
		met := "一把手未见过信访人"
		if c.HeadMet {
			met = fmt.Sprintf("一把手见过信访人%d次（%s）", c.HeadMeetings, datesZH(c.HeadMeetingDates))
		}
		study := "未召开研究会议"
		if c.StudyMeetingHeld {
			study = fmt.Sprintf("召开研究会议%d次（%s）", c.StudyMeetings, datesZH(c.StudyMeetingDates))
		}
		missed := "无逾期期限"
		if len(c.MissedDeadlines) > 0 {
			parts := make([]string, len(c.MissedDeadlines))
			for j, m := range c.MissedDeadlines {
				name := m.Kind
				if info, ok := deadline.Lookup(deadline.Kind(m.Kind)); ok {
					name = info.NameZH
				}
				when := "至今未办结"
				if !m.MetOn.IsZero() {
					when = m.MetOn.String() + "办结"
				}
				parts[j] = fmt.Sprintf("%s期限%s到期，%s", name, m.DueOn, when)
			}
			missed = "逾期：" + strings.Join(parts, "；")
		}
		esc := fmt.Sprintf("被督办%d次", c.Escalations)
		if c.Escalations > 0 {
			var by []string
			for _, a := range []string{"reminder", "supervision", "party_report"} {
				if n := c.EscalationsBy[a]; n > 0 {
					by = append(by, fmt.Sprintf("%s%d次", escalationNames[a], n))
				}
			}
			if len(by) > 0 {
				esc += "（" + strings.Join(by, "、") + "）"
			}
		}
		resolved := "未化解"
		if c.Resolved {
			resolved = "已化解"
		}
		state := export.StateNames[petition.State(c.State)]
		if state == "" {
			state = c.State
		}
		ps = append(ps, fmt.Sprintf("（%d）%s“%s”（%s登记，%s，办理%d天，%s）：%s；%s；%s；退单%d次，%s；%s。",
			i+1, c.TrackingCode, c.Title, c.ReceivedOn, state, c.DaysOpen, strings.Join(kind, "，"), met, study, missed, c.Returns, esc, resolved))
	}
	ps = append(ps, "三、整改要求")
	if len(rep.Rectifications) == 0 {
		ps = append(ps, "暂无整改事项。")
	}
	for i, it := range rep.Rectifications {
		state := "整改中"
		if it.State == "done" {
			state = "已完成：" + it.DoneNote
		}
		ps = append(ps, fmt.Sprintf("%d. %s（责任人：%s，整改期限：%s，%s）", i+1, it.Finding, it.OwnerName, it.DueOn, state))
	}
	ps = append(ps, "请"+rep.Unit.Name+"按照整改要求逐项落实，并在整改期限内报送整改情况。")
	return &notices.Notice{Title: Title(rep), Issuer: Issuer(opt), Number: Number(rep, opt), Addressee: rep.Unit.Name,
		Paragraphs: ps, Date: today, DateZH: notices.DateZH(today)}
}
