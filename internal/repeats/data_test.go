package repeats

import (
	"regexp"
	"testing"
	"time"
)

func validIDNumber(id string) bool {
	if len(id) != 18 {
		return false
	}
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
		sum += int(id[i]-'0') * w[i]
	}
	return id[17] == "10X98765432"[sum%11]
}

// The data sets follow the documented format: valid GB 11643 check digits,
// 11-digit mobiles, Huludao district codes, RFC 3339 times at +08:00.
func TestDataSetsWellFormed(t *testing.T) {
	phone := regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	districts := map[string]bool{"211402": true, "211403": true, "211404": true, "211421": true, "211422": true, "211481": true}
	channels := map[string]bool{"letter": true, "visit": true, "online": true, "hotline": true, "mailbox": true}
	for _, file := range []string{"testdata/labelled.jsonl", "testdata/heldout.jsonl", "testdata/fresh.jsonl", "testdata/fresh2.jsonl"} {
		recs, labels := load(t, file)
		seen := map[string]bool{}
		multi := 0
		for _, r := range recs {
			if seen[r.ExternalID] {
				t.Errorf("%s: duplicate id %s", file, r.ExternalID)
			}
			seen[r.ExternalID] = true
			if r.IDNumber != "" && !validIDNumber(r.IDNumber) {
				t.Errorf("%s %s: bad ID number %q", file, r.ExternalID, r.IDNumber)
			}
			if !phone.MatchString(r.Phone) {
				t.Errorf("%s %s: bad phone %q", file, r.ExternalID, r.Phone)
			}
			if !districts[r.District] || !channels[r.Channel] || r.Matter == "" || r.Content == "" {
				t.Errorf("%s %s: bad district/channel/matter/content", file, r.ExternalID)
			}
			ts, err := time.Parse(time.RFC3339, r.ReceivedAt)
			if _, off := ts.Zone(); err != nil || off != 8*3600 {
				t.Errorf("%s %s: bad time %q", file, r.ExternalID, r.ReceivedAt)
			}
		}
		for _, l := range labels {
			if len(l.ExternalIDs) > 1 {
				multi++
			}
			if len(l.ExternalIDs) > 8 {
				t.Errorf("%s: matter %s has %d petitions", file, l.Matter, len(l.ExternalIDs))
			}
		}
		t.Logf("%s: %d petitions, %d matters (%d with repeats)", file, len(recs), len(labels), multi)
	}
}
