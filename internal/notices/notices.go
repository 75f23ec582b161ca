// Package notices builds the printable official notices of a case:
// 受理告知书 (acceptance), 不予受理告知书 (decline, with the reason) and
// 信访事项处理意见书 (the written reply, with the petitioner's right to ask
// for review within 30 days, 《信访工作条例》第三十五条). A Notice is laid
// out as a formal document (letterhead, document number, addressee, body,
// date in Chinese, seal area) and rendered as a print-ready HTML page
// (Notice.HTML, styled by Stylesheet) or as a PDF with embedded Chinese
// glyphs (Notice.PDF).
package notices

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"redress/internal/access"
	"redress/internal/calendar"
	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/petition"
)

// Kind names a notice.
type Kind string

// Kinds of notice.
const (
	Acceptance Kind = "acceptance" // 受理告知书
	Decline    Kind = "decline"    // 不予受理告知书
	Reply      Kind = "reply"      // 信访事项处理意见书
)

// Kinds lists every kind.
var Kinds = []Kind{Acceptance, Decline, Reply}

// ParseKind validates a kind name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", failure.NotFound("notice kind " + fmt.Sprintf("%q", s))
}

// Title returns the document's title.
func (k Kind) Title() string {
	switch k {
	case Acceptance:
		return "受理告知书"
	case Decline:
		return "不予受理告知书"
	case Reply:
		return "信访事项处理意见书"
	}
	return string(k)
}

// code is the document-number character of the kind: 葫信告〔2026〕12号.
func (k Kind) code() string {
	switch k {
	case Acceptance:
		return "告"
	case Decline:
		return "不受"
	}
	return "复"
}

// Options are the local particulars of the notices.
type Options struct {
	// City is the city's name, prefixed to a unit named 市… (市住建局 → 葫芦岛市住建局).
	City string
	// Bureau is the petition bureau's full name, the issuer of acceptance and decline notices.
	Bureau string
	// Abbrev is the city's one-character abbreviation that opens document numbers (葫).
	Abbrev string
}

// DefaultOptions are Huludao's.
func DefaultOptions() Options {
	return Options{City: "葫芦岛市", Bureau: "葫芦岛市信访局", Abbrev: "葫"}
}

// Notice is one document, ready to render.
type Notice struct {
	Kind       Kind
	Title      string        // 受理告知书
	Issuer     string        // the letterhead and signature: 葫芦岛市信访局
	Number     string        // 葫信告〔2026〕123号
	Addressee  string        // the petitioner's name (as the user may see it)
	Paragraphs []string      // the body, one paragraph each
	Outcome    string        // reply only: 支持, 解释说明 or 不予支持
	Date       calendar.Date // the date of the decision
	DateZH     string        // 二〇二六年三月二日
	Tracking   string        // the petition's tracking code (查询码)
	PetitionID int64
}

// Outcomes are the reply outcomes in Chinese.
var Outcomes = map[string]string{petition.OutcomeSupport: "支持", petition.OutcomeExplain: "解释说明", petition.OutcomeReject: "不予支持"}

var channels = map[string]string{"letter": "来信", "visit": "来访", "online": "网上信访", "hotline": "12345热线", "mailbox": "领导信箱"}

// Build makes notice k for case c as user u may see it (the petitioner's
// name is masked per access.LevelFor). It fails with a failure.Error
// (illegal_transition, 409) when the case's state does not fit the notice:
// no acceptance notice before acceptance or after a decline, no decline
// notice unless declined, no reply notice before the written reply.
func Build(u org.User, tree *org.Tree, c *petition.Case, k Kind, opt Options) (*Notice, error) {
	p := &c.Petition
	if err := fits(p, k); err != nil {
		return nil, err
	}
	pr := access.MaskPetitioner(c.Petitioner, access.LevelFor(u, p))
	n := &Notice{Kind: k, Title: k.Title(), Issuer: opt.Bureau, Addressee: pr.Name, Tracking: p.TrackingCode, PetitionID: p.ID}
	received := calendar.DateOf(p.ReceivedAt)
	n.Number = fmt.Sprintf("%s信%s〔%d〕%d号", opt.Abbrev, k.code(), received.Year(), p.ID)
	how := channels[p.Channel]
	if how != "" {
		how = "通过" + how
	}
	subject := fmt.Sprintf("你于%s%s提出的“%s”信访事项", dateArabic(received), how, p.Title)
	switch k {
	case Acceptance:
		n.Date = eventDate(c, "accept", received)
		n.Paragraphs = []string{
			subject + "，本机关已于" + dateArabic(n.Date) + "依法受理。",
			"本机关将依照《信访工作条例》的规定，转送、交办有权处理的机关、单位办理。有权处理的机关、单位应当自受理之日起60日内办结；" +
				"情况复杂的，经本机关负责人批准，可以适当延长办理期限，但延长期限不得超过30日，并告知你延期理由。",
			"你可以凭查询码" + p.TrackingCode + "查询办理进展。",
			"特此告知。",
		}
	case Decline:
		n.Date = eventDate(c, "decline", received)
		n.Paragraphs = []string{
			subject + "，经审查，本机关决定不予受理。",
			"理由：" + strings.TrimSpace(p.DeclineReason),
			"对依法应当通过诉讼、仲裁、行政复议等法定途径解决的，请依照有关法律、行政法规规定的程序向有关机关提出（《信访工作条例》第三十一条）。",
			"特此告知。",
		}
	case Reply:
		n.Issuer = opt.unitName(tree, replyUnit(c))
		n.Date = received
		if p.RepliedAt != nil {
			n.Date = calendar.DateOf(*p.RepliedAt)
		}
		n.Outcome = Outcomes[p.ReplyOutcome]
		n.Paragraphs = append([]string{subject + "，本机关已依法办理。现提出处理意见如下："},
			paragraphs(p.ReplyText)...)
		n.Paragraphs = append(n.Paragraphs,
			"处理意见："+n.Outcome+"。",
			"如对本处理意见不服，你可以自收到本意见书之日起30日内，向本机关的上一级行政机关请求复查（《信访工作条例》第三十五条）。")
	}
	n.DateZH = DateZH(n.Date)
	return n, nil
}

// fits refuses a notice that the case's state does not allow.
func fits(p *petition.Petition, k Kind) error {
	ok := false
	switch k {
	case Acceptance:
		ok = p.State != petition.Registered && p.State != petition.Declined
	case Decline:
		ok = p.State == petition.Declined
	case Reply:
		ok = p.RepliedAt != nil && p.ReplyOutcome != ""
	default:
		return failure.NotFound("notice kind " + fmt.Sprintf("%q", k))
	}
	if ok {
		return nil
	}
	return failure.New(failure.CodeIllegalState, http.StatusConflict, "a %s notice does not fit a petition that is %s", k, p.State).
		With(map[string]string{"kind": string(k), "state": string(p.State)})
}

// eventDate returns the date of the last event of action, or fallback.
func eventDate(c *petition.Case, action string, fallback calendar.Date) calendar.Date {
	for i := len(c.Events) - 1; i >= 0; i-- {
		if c.Events[i].Action == action {
			return calendar.DateOf(c.Events[i].At)
		}
	}
	return fallback
}

// replyUnit returns the unit that replied: the last assignment in state replied, else the current unit.
func replyUnit(c *petition.Case) int64 {
	for i := len(c.Assignments) - 1; i >= 0; i-- {
		if c.Assignments[i].State == "replied" {
			return c.Assignments[i].UnitID
		}
	}
	return c.Petition.UnitID
}

// unitName is a unit's name as an issuer: 市住建局 → 葫芦岛市住建局.
func (o Options) unitName(tree *org.Tree, id int64) string {
	un, ok := tree.Unit(id)
	if !ok {
		return o.Bureau
	}
	if strings.HasPrefix(un.Name, "市") {
		return strings.TrimSuffix(o.City, "市") + un.Name
	}
	return un.Name
}

// paragraphs splits text at line breaks, dropping empty lines.
func paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func dateArabic(d calendar.Date) string {
	t, _ := time.Parse(time.DateOnly, d.String())
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// DateZH writes a date as official documents do: 二〇二六年三月二日.
func DateZH(d calendar.Date) string {
	t, err := time.Parse(time.DateOnly, d.String())
	if err != nil {
		return ""
	}
	const digits = "〇一二三四五六七八九"
	ds := []rune(digits)
	var b strings.Builder
	for _, c := range fmt.Sprint(t.Year()) {
		b.WriteRune(ds[c-'0'])
	}
	b.WriteString("年")
	b.WriteString(number(int(t.Month())))
	b.WriteString("月")
	b.WriteString(number(t.Day()))
	b.WriteString("日")
	return b.String()
}

// number writes 1–31 in Chinese: 九, 十, 十二, 二十, 三十一.
func number(n int) string {
	ds := []rune("〇一二三四五六七八九")
	switch {
	case n < 10:
		return string(ds[n])
	case n == 10:
		return "十"
	case n < 20:
		return "十" + string(ds[n-10])
	case n%10 == 0:
		return string(ds[n/10]) + "十"
	}
	return string(ds[n/10]) + "十" + string(ds[n%10])
}
