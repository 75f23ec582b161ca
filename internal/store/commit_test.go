package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"redress/internal/org"
	"redress/internal/store"
	"redress/internal/storetest"
)

// TestGroupCommitIsolatesFailures runs many concurrent writes, a third of
// which fail: the failures leave nothing behind, the others all land, and
// the audit chain links every landed change once.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	var city org.Unit
	if err := st.Write(ctx, func(tx *store.Tx) error {
		city = org.Unit{Code: "211400", Name: "葫芦岛市", Kind: org.KindCity}
		return tx.CreateUnit(store.System, &city)
	}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("refused on purpose")
	const n = 90
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = st.Write(ctx, func(tx *store.Tx) error {
				u := org.Unit{Code: fmt.Sprintf("U%03d", i), Name: "单位", Kind: org.KindDepartment, ParentID: city.ID}
				if err := tx.CreateUnit(store.System, &u); err != nil {
					return err
				}
				if i%3 == 0 {
					return boom // after writing: the savepoint must undo the unit and its audit entry
				}
				return nil
			})
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if (i%3 == 0) != errors.Is(err, boom) {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	tree, err := st.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(tree.Units()); got != 1+n-n/3 {
		t.Fatalf("%d units stored, want %d", got, 1+n-n/3)
	}
	for i := 0; i < n; i += 3 {
		if _, ok := tree.ByCode(fmt.Sprintf("U%03d", i)); ok {
			t.Fatalf("failed write %d left its unit behind", i)
		}
	}
	res, err := st.VerifyAudit(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The official calendar, the city and the successful units.
	if res.BrokenAt != 0 || res.Entries != int64(2+n-n/3) {
		t.Fatalf("audit: %+v, want %d entries intact", res, 2+n-n/3)
	}
	commits, writes := st.CommitStats()
	if writes != int64(2+n-n/3) || commits > writes {
		t.Fatalf("commit stats: %d commits for %d writes", commits, writes)
	}
}

// TestConflictMapsToSentinel checks a unique violation becomes ErrConflict on every engine.
func TestConflictMapsToSentinel(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	mk := func() error {
		return st.Write(ctx, func(tx *store.Tx) error {
			u := org.Unit{Code: "211400", Name: "葫芦岛市", Kind: org.KindCity}
			return tx.CreateUnit(store.System, &u)
		})
	}
	if err := mk(); err != nil {
		t.Fatal(err)
	}
	if err := mk(); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate unit code: %v, want ErrConflict", err)
	}
	if _, err := st.UserByLogin(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing user: %v, want ErrNotFound", err)
	}
}
