package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
)

// Petition is one demo petition or hotline ticket as it arrives.
type Petition struct {
	ExternalID         string    `json:"external_id"`
	ReceivedAt         time.Time `json:"received_at"`
	Channel            string    `json:"channel"`
	PetitionerName     string    `json:"petitioner_name"`
	PetitionerIDNumber string    `json:"petitioner_id_number"`
	Phone              string    `json:"phone"`
	DistrictCode       string    `json:"district_code"`
	Address            string    `json:"address"`
	Title              string    `json:"title"`
	Content            string    `json:"content"`

	// Plan says how the demo loader should move it through the lifecycle.
	Plan Plan `json:"-"`
}

// Plan says how far a demo petition has travelled through the workflow
// and what happened on the way.
type Plan struct {
	// FinalState is the state to drive the petition to (one of States).
	FinalState string
	// UnitCode is the unit the petition is assigned to (for "returned",
	// the unit that sent it back); for "registered" and "accepted" the
	// unit it would go to next; empty for "declined". Accusations go to
	// the city discipline commission ("211400-jw").
	UnitCode string
	// ReplyOutcome is "support", "explain" or "reject" (支持 / 解释说明 /
	// 不予支持) when the state implies a written reply, else "".
	ReplyOutcome string
	// Overdue: the current step is past its time limit, or (for replied
	// and later states) the reply was late.
	Overdue bool
	// Accusation marks a 检举; AccusedUnitCode is the unit accused, which
	// must never see the material or who sent it.
	Accusation      bool
	AccusedUnitCode string
	// RepeatOf is the external id of the first petition on the same matter
	// (same person or a relative, earlier, in other words), "" if none.
	RepeatOf string

	// Theme is the key of the matter's theme (see Themes).
	Theme string
	// GroupSize is the number of people in a group petition (集体访), 0 for
	// one person. PetitionerName is then the first representative.
	GroupSize int
	// DeclineReason is the reason given for "declined".
	DeclineReason string
	// ReturnReason is the unit's reason for "returned" (退单).
	ReturnReason string
	// ReplyText is a draft of the written reply (信访处理意见书) where
	// ReplyOutcome is set.
	ReplyText string
}

// States lists the final states a plan can name, in workflow order.
var States = []string{
	"registered", "accepted", "declined", "assigned", "returned", "handling",
	"extension_requested", "replied", "review_requested", "reviewed", "rereview_requested", "closed",
}

// Channels lists the channels petitions arrive by.
var Channels = []string{"letter", "visit", "online", "hotline", "mailbox"}

// china is UTC+8; no tzdata needed.
var china = time.FixedZone("CST", 8*3600)

type matter struct {
	th      *theme
	d       *district
	tw      town
	place   string // "estate" or "village"
	unit    string
	accused string
	fact    int
	slots   map[string]string
	first   person
	kin     *person
	kinRel  string // what first is to kin: 父亲, 母亲, 爱人 …
	group   int
	reps    []string
	year    int
	drafts  []*draft
}

type draft struct {
	at      time.Time
	m       *matter
	who     person
	byKin   bool
	channel string
	nth     int // 1 for the first petition on the matter
	id      string
	title   int // index of the title used
	state   string
	outcome string
	overdue bool
	decline string
	ret     string
	reply   string
}

// Petitions returns n demo petitions received during the twelve months
// before now, sorted by ReceivedAt. The same now, n and seed always give
// the same petitions.
func Petitions(now time.Time, n int, seed int64) []Petition {
	if n <= 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(uint64(seed), 0x2114_0000_5eed))
	end := now.In(china)
	days := sampleDays(r, end, n)

	var all []*draft
	for i, day := range days {
		var m *matter
		if i >= 10 && r.Float64() < 0.17 {
			m = pickRepeat(r, all, day)
		}
		d := &draft{}
		if m == nil {
			m = newMatter(r, day)
			d.who = m.first
		} else {
			d.who = m.first
			if m.group == 0 && r.Float64() < 0.3 {
				if m.kin == nil {
					k, rel := relative(r, m.first, m.d.code)
					m.kin, m.kinRel = &k, rel
				}
				d.who, d.byKin = *m.kin, true
			}
		}
		d.m = m
		d.nth = len(m.drafts) + 1
		d.channel = pickChannel(r, m, d.nth > 1)
		d.at = timeOfDay(r, d.channel, day, end)
		if d.nth > 1 {
			if prev := m.drafts[len(m.drafts)-1]; !d.at.After(prev.at) {
				d.at = prev.at.Add(time.Duration(ri(r, 20, 72)) * time.Hour)
			}
		}
		m.drafts = append(m.drafts, d)
		all = append(all, d)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].at.Before(all[j].at) })
	assignIDs(all)
	assignStates(r, all, end)
	out := make([]Petition, len(all))
	for i, d := range all {
		out[i] = render(r, d)
	}
	return out
}

// sampleDays picks n calendar days (midnight, China time) in the year
// before end, more in winter (heating) and fewer at weekends.
func sampleDays(r *rand.Rand, end time.Time, n int) []time.Time {
	last := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, china)
	first := last.AddDate(-1, 0, 1)
	var dates []time.Time
	var cum []float64
	total := 0.0
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		w := []float64{1.3, 1.1, 1.0, 0.9, 0.9, 0.95, 1.0, 1.0, 0.95, 0.95, 1.2, 1.35}[d.Month()-1]
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 0.6
		}
		if d.Equal(last) {
			w *= float64(end.Sub(last)) / float64(24*time.Hour)
		}
		total += w
		dates = append(dates, d)
		cum = append(cum, total)
	}
	out := make([]time.Time, n)
	for i := range out {
		x := r.Float64() * total
		out[i] = dates[sort.SearchFloat64s(cum, x)]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func inHeatingSeason(t time.Time) bool {
	m := t.Month()
	return m >= time.November || m <= time.March
}

// pickRepeat finds an earlier matter that the petition on day can repeat.
// Picking through a random earlier petition favours matters that have
// already been raised several times, as in life.
func pickRepeat(r *rand.Rand, all []*draft, day time.Time) *matter {
	for try := 0; try < 30; try++ {
		m := all[r.IntN(len(all))].m
		last := m.drafts[len(m.drafts)-1]
		switch {
		case m.th == accusation, len(m.drafts) >= 6:
			continue
		case day.Sub(last.at) < 7*24*time.Hour:
			continue
		case m.th.key == "heating" && !inHeatingSeason(day):
			continue
		case m.th.key == "utilities" && day.Sub(last.at) > 60*24*time.Hour:
			continue
		}
		return m
	}
	return nil
}

func weighted(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

func newMatter(r *rand.Rand, day time.Time) *matter {
	var w []float64
	for _, t := range themes {
		w = append(w, t.weight*t.season[day.Month()-1])
	}
	w = append(w, accusation.weight)
	i := weighted(r, w)
	th := accusation
	if i < len(themes) {
		th = themes[i]
	}

	w = w[:0]
	for k, d := range districts {
		x := d.weight
		if th.districtW != nil {
			x *= th.districtW[k]
		}
		w = append(w, x)
	}
	d := districts[weighted(r, w)]
	m := &matter{th: th, d: d, year: day.Year(), slots: map[string]string{}}
	m.place = th.place
	if m.place == "any" {
		m.place = "village"
		if r.Float64() < d.urban {
			m.place = "estate"
		}
	}
	var towns []town
	var allEstates, allVillages []string
	for _, t := range d.towns {
		allEstates = append(allEstates, t.estates...)
		allVillages = append(allVillages, t.villages...)
		if (m.place == "estate" && len(t.estates) > 0) || (m.place == "village" && len(t.villages) > 0) {
			towns = append(towns, t)
		}
	}
	m.tw = towns[r.IntN(len(towns))]
	floor := ri(r, 2, 18)
	s := m.slots
	s["district"], s["dshort"], s["town"] = d.name, d.short, m.tw.name
	s["road"] = d.roads[r.IntN(len(d.roads))]
	s["bldgno"], s["unitno"], s["floor"] = itoa(ri(r, 1, 28)), itoa(ri(r, 1, 6)), itoa(floor)
	s["room"] = fmt.Sprintf("%d%02d", floor, ri(r, 1, 4))
	s["groupno"] = cnNum[ri(r, 1, 8)]
	if m.place == "estate" {
		s["estate"] = m.tw.estates[r.IntN(len(m.tw.estates))]
		s["village"] = allVillages[r.IntN(len(allVillages))]
		s["place"], s["resident"] = s["estate"], "居民"
		s["addr"] = "葫芦岛市" + d.name + m.tw.name + s["estate"] + s["bldgno"] + "号楼" + s["unitno"] + "单元" + s["room"] + "室"
	} else {
		s["village"] = m.tw.villages[r.IntN(len(m.tw.villages))]
		s["estate"] = allEstates[r.IntN(len(allEstates))]
		s["place"], s["resident"] = s["village"], "村民"
		s["addr"] = "葫芦岛市" + d.name + m.tw.name + s["village"] + s["groupno"] + "组"
	}
	for {
		s["estate2"] = allEstates[r.IntN(len(allEstates))]
		if s["estate2"] != s["estate"] {
			break
		}
	}
	s["heatco"] = pick(d.heat, s["estate"])
	s["developer"] = pick(developers, s["estate"])
	s["propco"] = pick(propertyCos, s["estate"]+"物业")
	s["builder"] = builders[r.IntN(len(builders))]
	ents := oldEnterprises[d.code]
	s["enterprise"] = ents[r.IntN(len(ents))]
	s["shop"] = shops[r.IntN(len(shops))]
	s["hospital"] = d.short + choose(r, "康华医院", "仁和医院", "济民医院", "博爱医院")
	s["year"], s["lastyear"] = itoa(m.year), itoa(m.year-1)

	if th.men > 0 {
		m.first = newPersonOf(r, d.code, th.born[0], th.born[1], r.Float64() >= th.men)
	} else {
		m.first = newPerson(r, d.code, th.born[0], th.born[1])
	}
	if th.group != "" && r.Float64() < th.groupRate {
		m.group = ri(r, 8, 60)
		if r.IntN(3) == 0 {
			m.group = ri(r, 60, 240)
		}
		for k := ri(r, 1, 4); k > 0; k-- {
			q := newPerson(r, d.code, th.born[0], th.born[1])
			m.reps = append(m.reps, q.name())
		}
		s["members"] = th.group
	}
	var ok []int
	for k, f := range th.facts {
		if (f.need == "" || f.need == m.place) && (m.group == 0 || f.g) {
			ok = append(ok, k)
		}
	}
	if len(ok) == 0 { // no fact reads well for a group: make it one person
		m.group, m.reps = 0, nil
		for k, f := range th.facts {
			if f.need == "" || f.need == m.place {
				ok = append(ok, k)
			}
		}
	}
	m.fact = ok[r.IntN(len(ok))]
	if th.facts[m.fact].fem && !m.first.female {
		m.first = newPersonOf(r, d.code, th.born[0], th.born[1], true)
	}
	th.slots(r, m)

	if th == accusation {
		m.unit = DeptCode(CityCode, "jw")
		if suf := accusedSuffix[m.fact]; suf == "town" {
			m.accused = m.tw.code
		} else {
			m.accused = DeptCode(d.code, suf)
		}
		return m
	}
	m.unit = pickUnit(r, m)
	return m
}

func pickUnit(r *rand.Rand, m *matter) string {
	th := m.th
	var w []float64
	for _, x := range th.depts {
		w = append(w, x.w)
	}
	suffix := th.depts[weighted(r, w)].suffix
	if th.key == "roads" && m.place == "village" {
		if r.IntN(2) == 0 {
			return m.tw.code
		}
		return DeptCode(CityCode, "jtj")
	}
	if r.Float64() < th.townShare {
		return m.tw.code
	}
	if !hasDept(m.d.code, suffix) || r.Float64() < th.cityShare {
		return DeptCode(CityCode, suffix)
	}
	return DeptCode(m.d.code, suffix)
}

func pickChannel(r *rand.Rand, m *matter, repeat bool) string {
	w := m.th.channels
	if m.group > 0 {
		w = [5]float64{0.3, 0.6, 0.05, 0.02, 0.03}
	}
	if repeat {
		w[1] *= 1.8 // people who were not helped come in person
		w[4] *= 1.3
	}
	return channelNames[weighted(r, w[:])]
}

// timeOfDay places a petition on day: visits and letters are registered on
// working days in office hours, the hotline and the web take requests at
// any hour. The result is before end.
func timeOfDay(r *rand.Rand, ch string, day, end time.Time) time.Time {
	var minute int
	switch ch {
	case "visit", "letter":
		switch day.Weekday() {
		case time.Saturday:
			day = day.AddDate(0, 0, 2)
		case time.Sunday:
			day = day.AddDate(0, 0, 1)
		}
		if day.After(end) {
			day = day.AddDate(0, 0, -3)
		}
		if ch == "visit" {
			minute = ri(r, 8*60+30, 16*60+30)
		} else {
			minute = ri(r, 9*60, 16*60+30)
		}
	case "hotline":
		h := weighted(r, []float64{0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 0.8, 2, 4, 5, 5, 4, 3, 4, 4.5, 4.5, 4, 3.5, 3, 3, 2.5, 2, 1.2, 0.6})
		minute = h*60 + r.IntN(60)
	default:
		h := weighted(r, []float64{0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.6, 1.2, 2.5, 3, 3, 2.5, 2, 2.5, 3, 3, 2.5, 2, 2.2, 2.8, 3.2, 3, 2.2, 1.2})
		minute = h*60 + r.IntN(60)
	}
	t := day.Add(time.Duration(minute)*time.Minute + time.Duration(r.IntN(60))*time.Second)
	if !t.Before(end) {
		t = end.Add(-time.Duration(ri(r, 5, 300)) * time.Minute)
	}
	return t
}

func assignIDs(all []*draft) {
	seq := map[string]int{}
	for _, d := range all {
		prefix := "XF"
		if d.channel == "hotline" {
			prefix = "RX"
		}
		key := prefix + d.at.Format("20060102")
		seq[key]++
		d.id = fmt.Sprintf("%s%04d", key, seq[key])
	}
}
