package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// fill replaces {key} with slots[key]; values may hold slots themselves.
// Unknown keys are left in place (tests look for them).
func fill(s string, slots map[string]string) string {
	for pass := 0; pass < 4 && strings.Contains(s, "{"); pass++ {
		var b strings.Builder
		for {
			i := strings.IndexByte(s, '{')
			if i < 0 {
				b.WriteString(s)
				break
			}
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				b.WriteString(s)
				break
			}
			key := s[i+1 : i+j]
			b.WriteString(s[:i])
			if v, ok := slots[key]; ok {
				b.WriteString(v)
			} else {
				b.WriteString(s[i : i+j+1])
			}
			s = s[i+j+1:]
		}
		s = b.String()
	}
	return s
}

var channelVerb = map[string]string{
	"letter":  "写信",
	"visit":   "到信访局来访",
	"online":  "在网上",
	"hotline": "打12345热线",
	"mailbox": "给市长信箱写信",
}

func monthPhrase(t, now time.Time) string {
	switch t.Year() {
	case now.Year():
		return fmt.Sprintf("今年%d月", t.Month())
	case now.Year() - 1:
		return fmt.Sprintf("去年%d月", t.Month())
	}
	return fmt.Sprintf("%d年%d月", t.Year(), t.Month())
}

func waited(d time.Duration) string {
	days := d.Hours() / 24
	switch {
	case days < 20:
		return "半个多月"
	case days < 45:
		return "一个多月"
	case days < 75:
		return "两个多月"
	case days < 105:
		return "三个多月"
	case days < 160:
		return "四五个月"
	case days < 230:
		return "半年多"
	}
	return "大半年"
}

var (
	letterIntro = []string{
		"尊敬的领导：\n    您好！我叫{name}，今年{age}岁，家住{addr}。现将有关情况反映如下：\n    ",
		"尊敬的{district}领导：\n    我是{district}{place}的{resident}{name}，今天冒昧写信，是想反映一件困扰我很久的事情。\n    ",
		"各位领导：\n    我叫{name}，身份证号{id}，住{addr}，联系电话{phone}。\n    ",
		"尊敬的信访局领导：\n    你们好！我是{place}的{name}。\n    ",
	}
	letterOutro = []string{
		"\n    恳请领导在百忙之中过问此事，为老百姓做主！\n    此致\n敬礼！\n    信访人：{name}\n    {date}",
		"\n    以上情况属实，盼复。\n    信访人：{name}    联系电话：{phone}\n    {date}",
		"\n    盼望早日得到答复。\n    {name}\n    {date}",
	}
	visitIntro = []string{
		"来访人{name}（{sex}，{age}岁，住{addr}）反映：",
		"{name}来访，称其住在{district}{place}。",
		"信访人{name}，{sex}，{age}岁，{district}{place}{resident}，来访反映：",
	}
	visitOutro = []string{
		"", "", "来访人情绪较为激动，表示问题得不到解决将继续上访。", "来访人提供了相关票据和协议复印件。", "已告知来访人将按程序转交有关部门办理。",
	}
	onlineIntro = []string{"", "我是{district}{place}的{resident}，", "各位领导好，我是{name}，", "您好，"}
	onlineOutro = []string{"", "希望尽快得到答复，谢谢！", "盼回复。", "现场照片已上传附件。"}
	hotIntro    = []string{"市民来电反映：", "{hon}来电反映，", "来电人反映：", "市民{hon}来电称，"}
	hotDemand   = []string{"诉求：", "来电人诉求：", "市民诉求："}
	hotOutro    = []string{"", "", "请相关部门核实处理。", "请尽快处理并回复来电人。"}
	mailIntro   = []string{"市长您好！", "尊敬的市长：\n    您好！我是{district}{place}的{name}。\n    ", "市长同志：您好，", "尊敬的市领导："}
	mailOutro   = []string{"相信市长能为老百姓做主。", "谢谢市长！", "", "期待您的回复。"}

	groupIntro = map[string][]string{
		"visit":   {"{name}、{reps}等{k}名{members}集体来访，推选{repn}名代表反映：", "{district}{place}{members}{k}人集体来访，由{name}等{repn}名代表反映："},
		"letter":  {"尊敬的领导：\n    我们是{district}{place}的{members}，共{k}人联名向您反映情况。\n    "},
		"hotline": {"{hon}代表{place}{k}名{members}来电反映："},
		"other":   {"我们是{district}{place}的{members}，共{k}人，联名向领导反映：", "各位领导：我们{k}名{members}有一件事不得不反映。"},
	}
	groupLetterOutro = "\n    恳请领导为我们做主！\n    联名人代表：{name}、{reps}等{k}人\n    {date}"

	color = []string{
		"{I}也知道政府有难处，但这个问题实在拖不起了。",
		"家里条件本来就不好，这件事让全家人都睡不着觉。",
		"周围很多{resident}都是这个情况，大家意见很大。",
		"{I}一直相信政府能把这件事处理好。",
		"这件事前前后后找了好多部门，都说不归自己管。",
		"{I}年纪大了，经不起来回折腾。",
	}
	repeatLines = []string{
		"{I}于{prevdate}就{prevchan}反映过“{issue}”的问题，当时答复说会尽快处理，可至今没有解决。",
		"这已经是第{nth}次反映这个问题了。{prevdate}反映后，{prevunit}派人来看过，说回去研究，之后就没了下文。",
		"{prevdate}{I}{prevchan}反映过“{issue}”，收到的答复{I}不认可，问题实际上一点没解决。",
		"{I}此前反映过同一问题（编号{previd}），{waited}过去了，情况没有任何改善。",
	}
	kinLines = []string{
		"{Iam}{origname}的{srel}。{origname}{prevdate}曾{prevchan}反映过“{issue}”的问题，{whyme}，现由{I}代为反映。",
		"{origname}是{me}{orel}，{prevdate}已经反映过{issue}的问题，一直没有结果，家里实在等不起了。",
		"{me}{orel}{origname}为这件事跑了好几趟，{waited}了没有下文，{I}今天替{orel}再来反映一次。",
	}
	escalate = []string{
		"如果这次再不解决，只能去省里反映了。",
		"不想一趟一趟地跑，只求给个实实在在的说法。",
		"希望这次能有领导真正重视起来。",
		"",
	}
	repeatTitles = []string{"再次反映{t}", "{t}问题至今未解决", "多次反映{t}无果", "{t}（重复反映）"}

	declineNotes = []struct{ note, reason string }{
		{"此前{I}已就此事向{dshort}人民法院提起诉讼，法院已经作出判决，{I}对判决不服。",
			"该事项已进入司法程序，属于应当通过诉讼途径解决的事项，依照《信访工作条例》第三十一条不予受理，已告知信访人依法通过上诉、申请再审等途径解决。"},
		{"{I}此前已经申请了劳动人事争议仲裁，目前还在仲裁程序中。",
			"该事项已申请劳动人事争议仲裁，应当依法通过仲裁途径解决，不予受理，已书面告知信访人。"},
		{"此事已经过复查、复核，{I}对复核结果仍然不服。",
			"该事项已经复核终结，信访人以同一事实和理由再次提出，依照《信访工作条例》第三十六条不再受理，已书面告知信访人。"},
		{"",
			"该诉求属于平等主体之间的民事纠纷，不属于信访事项受理范围，已告知信访人通过人民调解或向人民法院起诉解决。"},
	}
	returnReasons = []string{
		"经核实，该事项不属于本单位职责范围，应由{other}办理，申请退回重新派单。",
		"派单地址不详，多次拨打诉求人电话无人接听，无法核实情况，申请退回补充信息。",
		"该事项涉及多个部门职责，本单位无法单独办理，建议由{other}牵头协调。",
	}
	replyTexts = map[string][]string{
		"support": {
			"经调查核实，你反映的{label}问题基本属实。我单位已会同有关方面研究，责成责任主体限期解决，并将跟踪落实情况。你的诉求予以支持。",
			"你反映的{label}问题，经现场核查情况属实。目前已制定整改方案并明确完成时限，整改完成后将及时告知你。对你的诉求予以支持。",
		},
		"explain": {
			"经调查核实，你反映的{label}问题涉及历史遗留原因和现行政策规定，现将有关政策和处理情况解释说明如下：有关部门已将该问题列入工作计划，分步推进解决。如有新的情况，可随时向我单位反映。",
			"关于你反映的{label}问题，经调查，相关情况已向你当面说明。根据现行政策，该问题需按程序逐步解决，我单位将持续关注。",
		},
		"reject": {
			"经调查核实，你提出的{label}方面的诉求缺乏事实和政策依据，不予支持。如对本处理意见不服，可自收到本意见书之日起30日内向上一级行政机关申请复查。",
			"经核查，你反映的情况与事实不符，相关处理符合法律政策规定，对你的诉求不予支持。如不服，可在收到本意见书之日起30日内申请复查。",
		},
	}
)

// pickDemand picks a demand that fits the fact and the place.
func pickDemand(r *rand.Rand, th *theme, fact line, place string) int {
	var ok []int
	for i, l := range th.demands {
		if l.need != "" && l.need != place {
			continue
		}
		if fact.d != nil && !slices.Contains(fact.d, i) {
			continue
		}
		ok = append(ok, i)
	}
	if len(ok) == 0 {
		return 0
	}
	return ok[r.IntN(len(ok))]
}

func render(r *rand.Rand, d *draft) Petition {
	m := d.m
	th := m.th
	s := make(map[string]string, len(m.slots)+24)
	for k, v := range m.slots {
		s[k] = v
	}
	who := d.who
	s["name"], s["hon"], s["sex"], s["id"], s["phone"] = who.name(), who.honorific(), who.sex(), who.id, who.phone
	s["age"] = itoa(who.age(d.at))
	s["date"] = fmt.Sprintf("%d年%d月%d日", d.at.Year(), d.at.Month(), d.at.Day())
	s["label"] = th.label

	third := d.channel == "hotline" || d.channel == "visit"
	switch {
	case m.group > 0 && third:
		s["I"], s["my"], s["me"], s["we"], s["Iam"] = "他们", "他们", "他们", "他们", "他们是"
	case m.group > 0:
		s["I"], s["my"], s["me"], s["we"], s["Iam"] = "我们", "我们", "我们", "我们", "我们是"
	case third:
		s["I"], s["my"], s["me"], s["we"], s["Iam"] = "其", "其家", "其", "他们", "其系"
	default:
		s["I"], s["my"], s["me"], s["we"], s["Iam"] = "我", "我家", "我", "我们", "我是"
	}
	if m.group > 0 {
		s["k"] = itoa(m.group)
		s["reps"] = strings.Join(m.reps, "、")
		s["repn"] = itoa(len(m.reps) + 1)
	}

	fact := th.facts[m.fact]
	var first *draft
	if d.nth > 1 {
		first = m.drafts[0]
		prev := m.drafts[d.nth-2]
		s["prevdate"] = monthPhrase(prev.at, d.at)
		s["prevchan"] = channelVerb[prev.channel]
		s["previd"] = prev.id
		s["nth"] = cnNum[min(d.nth, 10)]
		s["waited"] = waited(d.at.Sub(prev.at))
		s["prevunit"] = "有关部门"
		if u, ok := unitByCode(m.unit); ok && prev.state != "registered" && prev.state != "accepted" && prev.state != "declined" {
			s["prevunit"] = u.Name
		}
		// relative time words of the first telling no longer fit
		s["daysago"], s["stopday"] = "前些日子", "前些日子"
		s["whyme"] = choose(r, "因身体不好", "因在外地打工回不来", "因上班请不下假")
		if m.first.age(d.at) >= 65 {
			s["whyme"] = "因年纪大、身体不好"
		}
		s["origname"] = m.first.name()
		s["orel"] = m.kinRel
		s["srel"] = speakerRel(m.kinRel, who)
		// the issue is named by the title the first petition did not use
		issue := fact.t[(first.title+1)%len(fact.t)]
		s["issue"] = fill(issue, s)
	}

	// Title.
	d.title = r.IntN(len(fact.t))
	title := fill(fact.t[d.title], s)
	switch {
	case d.nth > 1:
		if len(fact.t) > 1 && d.title == first.title {
			d.title = (d.title + 1) % len(fact.t)
			title = fill(fact.t[d.title], s)
		}
		rt := repeatTitles[r.IntN(len(repeatTitles))]
		if strings.Contains(title, "至今") {
			rt = repeatTitles[0]
		}
		title = strings.ReplaceAll(rt, "{t}", title)
	case m.group > 0:
		title = th.group + "集体反映" + title
	}

	// Body.
	var b strings.Builder
	var outro string
	demandPrefix := ""
	switch {
	case m.group > 0:
		key := d.channel
		if key != "visit" && key != "letter" && key != "hotline" {
			key = "other"
		}
		in := groupIntro[key]
		b.WriteString(in[r.IntN(len(in))])
		if d.channel == "letter" {
			outro = groupLetterOutro
		}
		if d.channel == "hotline" {
			demandPrefix = hotDemand[r.IntN(len(hotDemand))]
		}
	case d.channel == "letter":
		b.WriteString(letterIntro[r.IntN(len(letterIntro))])
		outro = letterOutro[r.IntN(len(letterOutro))]
	case d.channel == "visit":
		b.WriteString(visitIntro[r.IntN(len(visitIntro))])
		outro = visitOutro[r.IntN(len(visitOutro))]
	case d.channel == "online":
		b.WriteString(onlineIntro[r.IntN(len(onlineIntro))])
		outro = onlineOutro[r.IntN(len(onlineOutro))]
	case d.channel == "hotline":
		b.WriteString(hotIntro[r.IntN(len(hotIntro))])
		demandPrefix = hotDemand[r.IntN(len(hotDemand))]
		outro = hotOutro[r.IntN(len(hotOutro))]
	default:
		b.WriteString(mailIntro[r.IntN(len(mailIntro))])
		outro = mailOutro[r.IntN(len(mailOutro))]
	}
	if d.nth > 1 {
		if d.byKin {
			b.WriteString(kinLines[r.IntN(len(kinLines))])
		} else {
			prev := m.drafts[d.nth-2]
			ok := []int{0, 3}
			if prev.state != "registered" && prev.state != "accepted" && prev.state != "declined" {
				ok = append(ok, 1)
			}
			if prev.outcome != "" {
				ok = append(ok, 2)
			}
			b.WriteString(repeatLines[ok[r.IntN(len(ok))]])
		}
		// A relative tells it in their own words; the petitioner may
		// retell the facts.
		if !d.byKin && r.IntN(2) == 0 {
			b.WriteString(fact.f)
		}
	} else {
		b.WriteString(fact.f)
	}
	if r.IntN(100) < 30 && m.group == 0 && th != accusation && !d.byKin {
		b.WriteString(color[r.IntN(len(color))])
	}

	if d.state == "declined" {
		k := r.IntN(4)
		if k == 1 && th.key != "wage_arrears" && th.key != "pension" && th.key != "restructuring" {
			k = 0
		}
		if k == 2 && d.nth == 1 {
			k = 3
		}
		b.WriteString(declineNotes[k].note)
		d.decline = declineNotes[k].reason
	}

	b.WriteString(demandPrefix)
	b.WriteString(th.demands[pickDemand(r, th, fact, m.place)].f)
	if d.nth > 1 {
		b.WriteString(escalate[r.IntN(len(escalate))])
	}
	b.WriteString(outro)
	content := fill(b.String(), s)

	if d.state == "returned" {
		other := "属地街道（乡镇）"
		if u, ok := unitByCode(m.unit); ok {
			switch {
			case u.Kind == KindTownship:
				other = m.d.name + "有关职能部门"
			case u.ParentCode == CityCode:
				other = m.d.name + "相关部门（属地管理）"
			}
		}
		d.ret = strings.ReplaceAll(returnReasons[r.IntN(len(returnReasons))], "{other}", other)
	}
	if d.outcome != "" {
		rt := replyTexts[d.outcome]
		d.reply = strings.ReplaceAll(rt[r.IntN(len(rt))], "{label}", th.label)
	}

	p := Petition{
		ExternalID:         d.id,
		ReceivedAt:         d.at,
		Channel:            d.channel,
		PetitionerName:     who.name(),
		PetitionerIDNumber: who.id,
		Phone:              who.phone,
		DistrictCode:       m.d.code,
		Address:            m.slots["addr"],
		Title:              title,
		Content:            content,
		Plan: Plan{
			FinalState:      d.state,
			UnitCode:        m.unit,
			ReplyOutcome:    d.outcome,
			Overdue:         d.overdue,
			Accusation:      th == accusation,
			AccusedUnitCode: m.accused,
			Theme:           th.key,
			GroupSize:       m.group,
			DeclineReason:   d.decline,
			ReturnReason:    d.ret,
			ReplyText:       d.reply,
		},
	}
	if d.state == "declined" {
		p.Plan.UnitCode = ""
	}
	if first != nil {
		p.Plan.RepeatOf = first.id
	}
	return p
}

// speakerRel is what the speaker is to the first petitioner, given what
// the first petitioner is to the speaker.
func speakerRel(firstIs string, speaker person) string {
	switch firstIs {
	case "父亲", "母亲":
		if speaker.female {
			return "女儿"
		}
		return "儿子"
	case "丈夫", "老伴":
		if speaker.female {
			return "爱人"
		}
		return "老伴"
	}
	if speaker.female {
		return "妻子"
	}
	return "丈夫"
}
