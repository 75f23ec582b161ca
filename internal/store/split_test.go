package store_test

import (
	"reflect"
	"testing"

	"redress/internal/store"
)

// TestSplitRatios: one breakdown by unit and district sums to the two that
// the dashboard and the rates show, each in key order.
func TestSplitRatios(t *testing.T) {
	units, districts := store.SplitRatios([]store.Ratio{
		{UnitID: 0, District: "211402", Hits: 1, Total: 2},
		{UnitID: 7, District: "211402", Hits: 3, Total: 4},
		{UnitID: 7, District: "211403", Hits: 0, Total: 5},
		{UnitID: 3, District: "211403", Hits: 2, Total: 2},
	})
	wantUnits := []store.Ratio{{UnitID: 0, Hits: 1, Total: 2}, {UnitID: 3, Hits: 2, Total: 2}, {UnitID: 7, Hits: 3, Total: 9}}
	wantDistricts := []store.Ratio{{District: "211402", Hits: 4, Total: 6}, {District: "211403", Hits: 2, Total: 7}}
	if !reflect.DeepEqual(units, wantUnits) {
		t.Errorf("by unit %+v, want %+v", units, wantUnits)
	}
	if !reflect.DeepEqual(districts, wantDistricts) {
		t.Errorf("by district %+v, want %+v", districts, wantDistricts)
	}
	if u, d := store.SplitRatios(nil); len(u) != 0 || len(d) != 0 {
		t.Errorf("nothing split into %v and %v", u, d)
	}
}
