package demo

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func TestDump(t *testing.T) {
	if os.Getenv("DEMO_DUMP") == "" {
		t.Skip()
	}
	now := time.Date(2026, 3, 15, 10, 0, 0, 0, china)
	ps := Petitions(now, 2000, 1)
	for _, p := range ps {
		fmt.Printf("== %s %s %s %s %s %s | %+v\n%s\n%s\n\n", p.ExternalID, p.ReceivedAt.Format(time.RFC3339), p.Channel, p.PetitionerName, p.PetitionerIDNumber, p.Address, p.Plan.FinalState+" "+p.Plan.UnitCode+" "+p.Plan.Theme+" rep="+p.Plan.RepeatOf, p.Title, p.Content)
	}
}
