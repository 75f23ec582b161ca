package intake

import (
	"errors"
	"testing"
	"time"

	"redress/internal/failure"
)

type districts map[string]bool

func (d districts) IsDistrict(c string) bool { return d[c] }

func good() Record {
	return Record{
		ExternalID: "X-1", ReceivedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)),
		Channel: "letter", PetitionerName: "王秀兰", PetitionerIDNumber: "211402196505120027", Phone: "13904291234",
		DistrictCode: "211402", Address: "连山区站前街道", Title: "供暖不热", Content: "家中室温不足十六度。",
	}
}

func TestValidate(t *testing.T) {
	d := districts{"211402": true}
	r := good()
	if err := r.Validate(d, true); err != nil {
		t.Fatalf("good record refused: %v", err)
	}
	cases := map[string]func(*Record){
		"external_id":          func(r *Record) { r.ExternalID = "" },
		"received_at":          func(r *Record) { r.ReceivedAt = time.Time{} },
		"channel":              func(r *Record) { r.Channel = "fax" },
		"petitioner_name":      func(r *Record) { r.PetitionerName = "" },
		"petitioner_id_number": func(r *Record) { r.PetitionerIDNumber = "211402196505120028" },
		"phone":                func(r *Record) { r.Phone = "call me" },
		"district_code":        func(r *Record) { r.DistrictCode = "110101" },
		"title":                func(r *Record) { r.Title = "" },
		"content":              func(r *Record) { r.Content = string(make([]rune, MaxContent+1)) },
	}
	for field, spoil := range cases {
		r := good()
		spoil(&r)
		err := r.Validate(d, true)
		var fe *failure.Error
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("spoiling %s: got %v, want an error on that field", field, err)
		}
	}
}

func TestCheckIDNumber(t *testing.T) {
	for s, ok := range map[string]bool{
		"211402196505120027": true,
		"11010519491231002X": true,
		"11010519491231002x": false, // callers upper-case first
		"211402196513120027": false, // month 13
		"21140219650512002":  false,
		"211402196505120020": false,
	} {
		if err := CheckIDNumber(s); (err == nil) != ok {
			t.Errorf("CheckIDNumber(%s) = %v, want ok=%v", s, err, ok)
		}
	}
}
