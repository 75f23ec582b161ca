package matters

import (
	"context"
	"fmt"
	"io"
	"time"

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
