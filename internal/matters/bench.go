package matters

import (
	"context"
	"fmt"
	"io"
	"time"

	"redress/internal/intake"
	"redress/internal/lifecycle"
	"redress/internal/org"
	"redress/internal/repeats"
	"redress/internal/store"
)

// BenchRebuild measures what `serve` does on start: it fills the store at
// dsn (which must be empty and migrated) with n synthetic petitions and their
// signatures, then times Rebuild, beside the baseline of reading the same
// rows without decoding or indexing them.
func BenchRebuild(ctx context.Context, st *store.Store, n int, w io.Writer) error {
	g := repeats.NewSynth(2)
	now := time.Now().UTC()
	const batch = 2000
	for done := 0; done < n; {
		err := st.Write(ctx, func(tx *store.Tx) error {
			var pr, m int64
			if err := tx.QueryRow("INSERT INTO petitioners (kind, name, created_at) VALUES ('person', 'bench', ?) RETURNING id", now).Scan(&pr); err != nil {
				return fmt.Errorf("bench petitioner: %w", err)
			}
			if err := tx.QueryRow("INSERT INTO matters (title, created_at) VALUES ('bench', ?) RETURNING id", now).Scan(&m); err != nil {
				return fmt.Errorf("bench matter: %w", err)
			}
			for i := 0; i < batch && done+i < n; i++ {
				r := g.Next()
				var id int64
				if err := tx.QueryRow(`INSERT INTO petitions (external_id, tracking_code, received_at, received_on, channel, petitioner_id, matter_id,
					district_code, title, content, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?) RETURNING id`,
					r.ExternalID, fmt.Sprintf("B%09d", done+i), r.ReceivedAt.UTC(), r.ReceivedAt.Format(time.DateOnly), "letter", pr, m,
					"211402", r.Title, r.Content, now, now).Scan(&id); err != nil {
					return fmt.Errorf("bench petition: %w", err)
				}
				r.ID = id
				blob, err := repeats.Sign(r).MarshalBinary()
				if err != nil {
					return err
				}
				if err := tx.InsertSignature(id, blob, now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done = min(n, done+batch)
	}
	t0 := time.Now()
	rows := 0
	var bytes int64
	if err := st.EachSignature(ctx, func(_ int64, _ string, sig []byte) error { rows++; bytes += int64(len(sig)); return nil }); err != nil {
		return err
	}
	read := time.Since(t0)
	d := NewDetector(DetectorOptions{Index: repeats.Options{ExpectedSize: n}})
	got, took, err := d.Rebuild(ctx, st, RebuildOptions{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "repeat index rebuild on %s, %d petitions (%.1f MiB of signatures)\n", st.Engine(), got, float64(bytes)/(1<<20))
	fmt.Fprintf(w, "  %-48s %9.0f ms\n", "baseline: stream the signature rows", float64(read.Microseconds())/1000)
	fmt.Fprintf(w, "  %-48s %9.0f ms (%.0f petitions/s, index %.1f MiB)\n", "rebuild: stream, decode and index", float64(took.Microseconds())/1000,
		float64(got)/took.Seconds(), float64(d.Index().MemoryEstimate())/(1<<20))
	return nil
}

// BenchIntake measures what repeat detection costs at intake: n synthetic
// petitions registered one by one (each its own durable transaction)
// through lifecycle.Register, on a fresh store each time (from fresh),
// with the detector as an intake hook and, as the baseline, without.
func BenchIntake(ctx context.Context, fresh func() (*store.Store, func(), error), n int, w io.Writer) error {
	run := func(hook bool) (time.Duration, int, error) {
		st, cleanup, err := fresh()
		if err != nil {
			return 0, 0, err
		}
		defer cleanup()
		var u org.User
		err = st.Write(ctx, func(tx *store.Tx) error {
			city := org.Unit{Code: "211400", Name: "葫芦岛市", Kind: org.KindCity}
			if err := tx.CreateUnit(store.System, &city); err != nil {
				return err
			}
			for _, c := range []string{"211402", "211403", "211404", "211421", "211422", "211481"} {
				d := org.Unit{Code: c, Name: c, Kind: org.KindDistrict, ParentID: city.ID}
				if err := tx.CreateUnit(store.System, &d); err != nil {
					return err
				}
			}
			u = org.User{Login: "bench", Name: "压测", Role: org.RoleBureau, UnitID: city.ID}
			return tx.CreateUser(store.System, &u)
		})
		if err != nil {
			return 0, 0, fmt.Errorf("bench organisation: %w", err)
		}
		svc := lifecycle.New(st, nil)
		if hook {
			svc.AddIntakeHook(NewDetector(DetectorOptions{}))
		}
		g := repeats.NewSynth(3)
		related := 0
		t0 := time.Now()
		for i := 0; i < n; i++ {
			r := g.Next()
			// Synthetic ID-card numbers carry no valid check digit: left out.
			rec := intake.Record{ExternalID: r.ExternalID, ReceivedAt: time.Now().Add(-time.Hour), Channel: r.Channel, PetitionerName: r.Name,
				Phone: r.Phone, DistrictCode: r.DistrictCode, Address: r.Address, Title: r.Title, Content: r.Content}
			reg, err := svc.Register(ctx, u, rec, false)
			if err != nil {
				return 0, 0, fmt.Errorf("bench register %d: %w", i, err)
			}
			if len(reg.Related) > 0 {
				related++
			}
		}
		return time.Since(t0), related, nil
	}
	base, _, err := run(false)
	if err != nil {
		return err
	}
	with, related, err := run(true)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "intake, %d petitions registered one by one (each durably committed)\n", n)
	fmt.Fprintf(w, "  %-48s %9.0f petitions/s\n", "baseline: lifecycle.Register without hooks", float64(n)/base.Seconds())
	fmt.Fprintf(w, "  %-48s %9.0f petitions/s (%.2f ms more each; %d had related petitions)\n", "with repeat detection (matters.Detector)",
		float64(n)/with.Seconds(), float64((with-base).Microseconds())/1000/float64(n), related)
	return nil
}
