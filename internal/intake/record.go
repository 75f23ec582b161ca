// Package intake validates petitions arriving from outside: the JSON API,
// import files and (later) the public portal, all in one record format.
package intake

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"redress/internal/failure"
	"redress/internal/petition"
)

// Record is one incoming petition, as in an import line or an API body.
type Record struct {
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
	// Optional: a group petition (集体访) and its size.
	GroupSize int `json:"group_size,omitempty"`
	// Optional: an accusation (检举) and the code of the unit accused.
	Accusation      bool   `json:"accusation,omitempty"`
	AccusedUnitCode string `json:"accused_unit_code,omitempty"`
}

// Limits on field lengths, in characters.
const (
	MaxExternalID = 100
	MaxName       = 100
	MaxAddress    = 300
	MaxTitle      = 200
	MaxContent    = 20000
)

var phoneRe = regexp.MustCompile(`^\+?[0-9][0-9 -]{4,19}$`)

// Districts tells which district codes exist and which unit codes exist.
type Districts interface {
	IsDistrict(code string) bool
}

// Normalize trims surrounding space from every text field.
func (r *Record) Normalize() {
	for _, f := range []*string{&r.ExternalID, &r.Channel, &r.PetitionerName, &r.PetitionerIDNumber, &r.Phone,
		&r.DistrictCode, &r.Address, &r.Title, &r.Content, &r.AccusedUnitCode} {
		*f = strings.TrimSpace(*f)
	}
	r.PetitionerIDNumber = strings.ToUpper(r.PetitionerIDNumber)
}

// Validate checks a record; the error names the first field at fault.
// requireExternalID is true for import files, where re-running must be idempotent.
func (r *Record) Validate(d Districts, requireExternalID bool) error {
	if requireExternalID && r.ExternalID == "" {
		return failure.Invalid("external_id", "external_id is required")
	}
	if err := maxLen("external_id", r.ExternalID, MaxExternalID); err != nil {
		return err
	}
	if r.ReceivedAt.IsZero() {
		return failure.Invalid("received_at", "received_at is required (RFC 3339, e.g. 2026-03-01T09:30:00+08:00)")
	}
	if r.ReceivedAt.After(time.Now().Add(24 * time.Hour)) {
		return failure.Invalid("received_at", "received_at %s is in the future", r.ReceivedAt.Format(time.RFC3339))
	}
	if r.ReceivedAt.Year() < 2000 {
		return failure.Invalid("received_at", "received_at %s is before 2000", r.ReceivedAt.Format(time.RFC3339))
	}
	if !slices.Contains(petition.Channels, r.Channel) {
		return failure.Invalid("channel", "channel %q is not one of %s", r.Channel, strings.Join(petition.Channels, ", "))
	}
	if r.PetitionerName == "" {
		return failure.Invalid("petitioner_name", "petitioner_name is required")
	}
	if err := maxLen("petitioner_name", r.PetitionerName, MaxName); err != nil {
		return err
	}
	if r.PetitionerIDNumber != "" {
		if err := CheckIDNumber(r.PetitionerIDNumber); err != nil {
			return failure.Invalid("petitioner_id_number", "petitioner_id_number: %v", err)
		}
	}
	if r.Phone != "" && !phoneRe.MatchString(r.Phone) {
		return failure.Invalid("phone", "phone %q is not a telephone number", r.Phone)
	}
	if r.DistrictCode == "" {
		return failure.Invalid("district_code", "district_code is required (GB/T 2260)")
	}
	if !d.IsDistrict(r.DistrictCode) {
		return failure.Invalid("district_code", "district_code %q is not a district of this jurisdiction", r.DistrictCode)
	}
	if err := maxLen("address", r.Address, MaxAddress); err != nil {
		return err
	}
	if r.Title == "" {
		return failure.Invalid("title", "title is required")
	}
	if err := maxLen("title", r.Title, MaxTitle); err != nil {
		return err
	}
	if r.Content == "" {
		return failure.Invalid("content", "content is required")
	}
	if err := maxLen("content", r.Content, MaxContent); err != nil {
		return err
	}
	if r.GroupSize < 0 || r.GroupSize > 100000 {
		return failure.Invalid("group_size", "group_size %d is outside 0–100000", r.GroupSize)
	}
	if r.AccusedUnitCode != "" && !r.Accusation {
		return failure.Invalid("accused_unit_code", "accused_unit_code is given but accusation is false")
	}
	return nil
}

func maxLen(field, v string, n int) error {
	if !utf8.ValidString(v) {
		return failure.Invalid(field, "%s is not valid UTF-8", field)
	}
	if c := utf8.RuneCountInString(v); c > n {
		return failure.Invalid(field, "%s has %d characters, at most %d are allowed", field, c, n)
	}
	return nil
}

// CheckIDNumber validates an 18-character resident ID number (GB 11643-1999):
// digits, a valid birth date and the ISO 7064 MOD 11-2 check character.
func CheckIDNumber(s string) error {
	if len(s) != 18 {
		return fmt.Errorf("must have 18 characters, has %d", utf8.RuneCountInString(s))
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return fmt.Errorf("character %d must be a digit", i+1)
		}
		sum += int(c-'0') * weights[i]
	}
	if _, err := time.Parse("20060102", s[6:14]); err != nil {
		return fmt.Errorf("birth date %s is not a date", s[6:14])
	}
	want := "10X98765432"[sum%11]
	if s[17] != want {
		return fmt.Errorf("check character is %c, expected %c", s[17], want)
	}
	return nil
}
