// Command genheld turns heldout.txt (hand-written petitions) into
// heldout.jsonl, adding ID-card numbers (valid check digits), phones and ids.
//
//	go run ./internal/repeats/testdata/genheld < internal/repeats/testdata/genheld/heldout.txt > internal/repeats/testdata/heldout.jsonl
//
// With an id prefix argument it converts labelled_extra.txt, the hand-written
// part of labelled.jsonl (see testdata/README.md).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"time"
)

type rec struct {
	ExternalID string `json:"external_id"`
	ReceivedAt string `json:"received_at"`
	Channel    string `json:"channel"`
	Name       string `json:"petitioner_name"`
	IDNumber   string `json:"petitioner_id_number"`
	Phone      string `json:"phone"`
	District   string `json:"district_code"`
	Address    string `json:"address"`
	Title      string `json:"title"`
	Content    string `json:"content"`
	Matter     string `json:"matter"`
}

var rng = rand.New(rand.NewSource(7))

func idNumber(district string) string {
	birth := time.Date(1945+rng.Intn(55), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), 0, 0, 0, 0, time.UTC)
	s := district + birth.Format("20060102") + fmt.Sprintf("%03d", rng.Intn(1000))
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	return s + string("10X98765432"[sum%11])
}

func main() {
	prefix := "HLD-H-"
	if len(os.Args) > 1 {
		prefix = os.Args[1]
	}
	type person struct{ name, addr, id, phone string }
	cst := time.FixedZone("CST", 8*3600)
	var out []rec
	var matter, district string
	var base time.Time
	var persons []person
	known := map[string]person{} // the same person across matters keeps id and phone
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		switch line[0] {
		case 'M':
			f := strings.Fields(line)
			matter, district = f[1], f[2]
			base, _ = time.ParseInLocation("2006-01-02", f[3], cst)
			persons = nil
		case 'P':
			f := strings.Split(line[2:], " | ")
			p := person{name: strings.TrimSpace(f[0]), addr: f[1]}
			if k, ok := known[p.name]; ok {
				p.id, p.phone = k.id, k.phone
			} else {
				p.id = idNumber(district)
				p.phone = fmt.Sprintf("1%d%d%08d", 3+rng.Intn(6), rng.Intn(10), rng.Intn(100000000))
				known[p.name] = p
			}
			for _, opt := range f[2:] {
				if strings.HasPrefix(opt, "phone=") {
					i, _ := strconv.Atoi(opt[6:])
					p.phone = persons[i].phone
				}
				if opt == "noid" {
					p.id = ""
				}
			}
			persons = append(persons, p)
		case 'T':
			f := strings.Split(line[2:], " | ")
			h := strings.Fields(f[0])
			who, _ := strconv.Atoi(h[0])
			day, _ := strconv.Atoi(h[2])
			p := persons[who]
			when := base.AddDate(0, 0, day).Add(time.Duration(8*60+rng.Intn(600)) * time.Minute)
			r := rec{ExternalID: fmt.Sprintf("%s%04d", prefix, len(out)+1), ReceivedAt: when.Format(time.RFC3339), Channel: h[1],
				Name: p.name, IDNumber: p.id, Phone: p.phone, District: district, Address: p.addr, Title: f[1], Content: f[2], Matter: matter}
			if h[1] == "hotline" {
				r.IDNumber = ""
			}
			out = append(out, r)
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, r := range out {
		enc.Encode(r)
	}
	fmt.Fprintln(os.Stderr, "petitions:", len(out))
}
