package demo

import (
	"math"
	"math/rand/v2"
	"time"
)

// Indexes into States.
const (
	sRegistered = iota
	sAccepted
	sDeclined
	sAssigned
	sReturned
	sHandling
	sExtension
	sReplied
	sReviewRequested
	sReviewed
	sRereviewRequested
	sClosed
)

// stateWeights gives the chance of each state for a petition received
// age days ago: recent ones are early in the workflow, old ones mostly
// replied or closed, with a tail of stuck and disputed cases.
func stateWeights(age float64) []float64 {
	w := make([]float64, len(States))
	set := func(kv ...float64) {
		for i := 0; i+1 < len(kv); i += 2 {
			w[int(kv[i])] = kv[i+1]
		}
	}
	switch {
	case age < 2:
		set(sRegistered, 6, sAccepted, 3, sDeclined, 0.3, sAssigned, 0.8)
	case age < 7:
		set(sRegistered, 0.6, sAccepted, 3, sDeclined, 0.5, sAssigned, 4, sReturned, 0.4, sHandling, 1.5, sReplied, 0.2)
	case age < 15:
		set(sRegistered, 0.1, sAccepted, 1, sDeclined, 0.5, sAssigned, 3, sReturned, 0.6, sHandling, 4, sReplied, 1.2, sClosed, 0.3)
	case age < 30:
		set(sAccepted, 0.3, sDeclined, 0.4, sAssigned, 1, sReturned, 0.4, sHandling, 6, sExtension, 0.3, sReplied, 3, sClosed, 1)
	case age < 60:
		set(sAssigned, 0.2, sDeclined, 0.4, sReturned, 0.25, sHandling, 5, sExtension, 1.4, sReplied, 5, sReviewRequested, 0.3, sClosed, 3)
	case age < 90:
		set(sHandling, 1.0, sExtension, 1.3, sDeclined, 0.3, sReplied, 3.5, sReviewRequested, 1.5, sReviewed, 0.4, sClosed, 6)
	case age < 150:
		set(sHandling, 0.5, sExtension, 0.3, sDeclined, 0.4, sReplied, 1.8, sReviewRequested, 0.9, sReviewed, 1.2, sRereviewRequested, 0.5, sClosed, 10)
	default:
		set(sHandling, 0.3, sExtension, 0.05, sDeclined, 0.45, sReplied, 0.9, sReviewRequested, 0.15, sReviewed, 1.0, sRereviewRequested, 0.3, sClosed, 14)
	}
	return w
}

// typicalAge is where each state sits most naturally, used to place a
// state that chance left out.
var typicalAge = []float64{1, 5, 30, 8, 10, 30, 70, 40, 80, 120, 160, 200}

func assignStates(r *rand.Rand, all []*draft, end time.Time) {
	count := make([]int, len(States))
	idx := map[*draft]int{}
	for _, d := range all {
		age := end.Sub(d.at).Hours() / 24
		hotline := d.channel == "hotline"
		if hotline {
			age *= 3 // hotline tickets move in days, not weeks
		}
		w := stateWeights(age)
		if hotline || d.m.th == accusation {
			// no statutory review for hotline tickets or accusations
			w[sClosed] += w[sReviewed] + w[sRereviewRequested]
			w[sReplied] += w[sReviewRequested]
			w[sReviewRequested], w[sReviewed], w[sRereviewRequested] = 0, 0, 0
		}
		i := weighted(r, w)
		idx[d] = i
		count[i]++
	}
	// Make sure every state appears at least once.
	for s := range States {
		if count[s] > 0 || len(all) < len(States) {
			continue
		}
		var best *draft
		bestDist := math.Inf(1)
		for _, d := range all {
			if count[idx[d]] < 2 || d.channel == "hotline" || d.m.th == accusation {
				continue
			}
			dist := math.Abs(end.Sub(d.at).Hours()/24 - typicalAge[s])
			if dist < bestDist {
				best, bestDist = d, dist
			}
		}
		if best != nil {
			count[idx[best]]--
			idx[best] = s
			count[s]++
		}
	}
	for _, d := range all {
		s := idx[d]
		d.state = States[s]
		age := end.Sub(d.at).Hours() / 24
		switch s {
		case sAccepted:
			d.overdue = age > 15
		case sAssigned, sReturned:
			d.overdue = age > 20
		case sHandling:
			d.overdue = age > 63
		case sExtension:
			d.overdue = age > 93
		case sReviewRequested:
			d.overdue = age > 125
		case sRereviewRequested:
			d.overdue = age > 185
		case sReplied, sReviewed, sClosed:
			d.overdue = r.Float64() < 0.07
		}
		if d.channel == "hotline" && (s == sAssigned || s == sHandling) {
			d.overdue = age > 15
		}
		switch s {
		case sReplied, sClosed:
			d.outcome = []string{"support", "explain", "reject"}[weighted(r, []float64{0.47, 0.4, 0.13})]
		case sReviewRequested, sReviewed, sRereviewRequested:
			d.outcome = []string{"support", "explain", "reject"}[weighted(r, []float64{0.08, 0.5, 0.42})]
		}
	}
}
