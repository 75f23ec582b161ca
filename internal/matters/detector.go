// Package matters wires repeat detection (package repeats) into the
// workflow and builds on it: every registration is signed and looked up in a
// persistent, growing index (Detector, a lifecycle.IntakeHook); registrars
// confirm or reject the candidates found, and confirmed repeats share one
// matter (信访事项) with its counts (Service.Confirm, Reject); petitioners with
// many petitions are listed (信访大户).
//
// # The index and the database
//
// The database is the truth: each petition's signature is stored in
// repeat_signatures in the registering transaction, with the top candidates
// in repeat_candidates. The in-memory repeats.Index is a cache of that table,
// rebuilt on start (Detector.Rebuild) and grown in tx.AfterCommit, so a
// registration that rolls back never enters it.
//
// Petitions registered earlier in the same, still open transaction (an
// import stores every line in one) are not in the index yet; the detector
// keeps them in a per-transaction stage and searches it too. A stage is keyed
// by a weak pointer to the store.Tx and dropped when the Tx is garbage, so a
// rolled-back transaction leaves nothing behind. Within a group commit
// several callers share one Tx and one caller's work can roll back alone, so a
// staged hit is used only if its petition is still there with the same
// tracking code. Two registrations committed concurrently in different
// transactions do not see each other at intake; `redress repeats pairs`
// (which scans the whole store) finds such pairs.
package matters

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"time"
	"weak"

	"github.com/schollz/progressbar/v3"

	"redress/internal/petition"
	"redress/internal/repeats"
	"redress/internal/store"
)

// DetectorOptions configure a Detector.
type DetectorOptions struct {
	Index repeats.Options
	// Keep is the number of candidates stored and reported per
	// registration (default 5).
	Keep int
	// Floor is the lowest score stored as a candidate (default: the index's
	// operating threshold). Lower it to show registrars weaker links.
	Floor float64
}

// Detector signs every registered petition, finds earlier petitions that may
// raise the same matter, and keeps the index growing. It implements
// lifecycle.IntakeHook; add it with svc.AddIntakeHook before the service
// registers anything, and call Rebuild once before that on a store that
// already holds petitions.
type Detector struct {
	opts DetectorOptions
	ix   *repeats.Index

	mu     sync.Mutex
	stages map[weak.Pointer[store.Tx]]*stage
}

// stage holds the signatures registered in one transaction that is still open.
type stage struct {
	entries  []staged
	ix       *repeats.Index   // built once the stage grows past stageLinear
	tracking map[int64]string // petition id → tracking code, with ix
}

type staged struct {
	id       int64
	ext      string
	tracking string
	sig      repeats.Signature
}

// stageLinear is the stage size up to which a look-up scores every staged
// signature; beyond it the stage gets its own index.
const stageLinear = 256

// NewDetector returns a detector with an empty index.
func NewDetector(opts DetectorOptions) *Detector {
	if opts.Keep <= 0 {
		opts.Keep = 5
	}
	ix := repeats.NewIndex(opts.Index)
	if opts.Floor <= 0 {
		opts.Floor = ix.Threshold()
	}
	return &Detector{opts: opts, ix: ix, stages: map[weak.Pointer[store.Tx]]*stage{}}
}

// Index is the detector's index (read-only use: Candidates, Pairs, Len).
func (d *Detector) Index() *repeats.Index { return d.ix }

// Record turns a petition and its petitioner into what the detector sees.
func Record(p *petition.Petition, pr *petition.Petitioner) repeats.Record {
	return repeats.Record{ID: p.ID, ExternalID: externalID(p), ReceivedAt: p.ReceivedAt, Channel: p.Channel,
		Name: pr.Name, IDNumber: pr.IDNumber, Phone: pr.Phone, DistrictCode: p.DistrictCode, Address: p.Address,
		Title: p.Title, Content: p.Content}
}

// externalID is how a petition is named to the index and in pairs: its
// external id, or its tracking code when it has none.
func externalID(p *petition.Petition) string {
	if p.ExternalID != "" {
		return p.ExternalID
	}
	return p.TrackingCode
}

// Registered implements lifecycle.IntakeHook.
func (d *Detector) Registered(tx *store.Tx, p *petition.Petition, pr *petition.Petitioner) ([]petition.Related, error) {
	sig := repeats.Sign(Record(p, pr))
	blob, err := sig.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("sign petition %d: %w", p.ID, err)
	}
	if err := tx.InsertSignature(p.ID, blob, p.CreatedAt); err != nil {
		return nil, err
	}
	cands, err := d.lookup(tx, sig)
	if err != nil {
		return nil, err
	}
	var related []petition.Related
	for _, c := range cands {
		if c.Score < d.opts.Floor {
			break // best first
		}
		rc := store.RepeatCandidate{PetitionID: p.ID, EarlierID: c.ID, Score: c.Score, Reasons: c.Reasons, CreatedAt: p.CreatedAt}
		if err := tx.InsertRepeatCandidate(&rc); err != nil {
			return nil, err
		}
		related = append(related, petition.Related{PetitionID: c.ID, ExternalID: c.ExternalID, Score: c.Score, Reasons: c.Reasons})
	}
	d.stageAdd(tx, staged{id: p.ID, ext: externalID(p), tracking: p.TrackingCode, sig: sig})
	id, ext := p.ID, externalID(p)
	tx.AfterCommit(func() {
		d.ix.Add(id, ext, sig)
		d.stageDrop(tx, id)
	})
	return related, nil
}

// lookup finds candidates in the index and in the transaction's stage, best first.
func (d *Detector) lookup(tx *store.Tx, sig repeats.Signature) ([]repeats.Candidate, error) {
	out := d.ix.Candidates(sig, d.opts.Keep+1)
	if sig.ID != 0 {
		// Only earlier petitions: a petition signed again by Backfill
		// meets later ones in the index too.
		out = slices.DeleteFunc(out, func(c repeats.Candidate) bool { return c.ID > sig.ID })
	}
	staged := d.stageCandidates(tx, sig)
	for _, c := range staged {
		// The caller whose work staged c may have rolled back (group
		// commit): use c only if its petition is still there.
		code, err := tx.PetitionTrackingCode(c.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if code != c.tracking {
			continue
		}
		out = append(out, c.Candidate)
	}
	sortCandidates(out)
	if len(out) > d.opts.Keep {
		out = out[:d.opts.Keep]
	}
	return out, nil
}

type stagedCandidate struct {
	repeats.Candidate
	tracking string
}

func (d *Detector) stageCandidates(tx *store.Tx, sig repeats.Signature) []stagedCandidate {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.stages[weak.Make(tx)]
	if s == nil {
		return nil
	}
	var out []stagedCandidate
	if s.ix != nil {
		for _, c := range s.ix.Candidates(sig, d.opts.Keep) {
			out = append(out, stagedCandidate{c, s.tracking[c.ID]})
		}
		return out
	}
	for _, e := range s.entries {
		if e.id == sig.ID {
			continue
		}
		score, why := d.ix.Score(sig, e.sig)
		if score >= d.opts.Floor {
			out = append(out, stagedCandidate{repeats.Candidate{ID: e.id, ExternalID: e.ext, Score: score, Reasons: why}, e.tracking})
		}
	}
	return out
}

func (d *Detector) stageAdd(tx *store.Tx, e staged) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := weak.Make(tx)
	s := d.stages[k]
	if s == nil {
		s = &stage{}
		d.stages[k] = s
		// When the Tx is garbage (after commit or rollback), forget its stage.
		runtime.AddCleanup(tx, func(k weak.Pointer[store.Tx]) {
			d.mu.Lock()
			delete(d.stages, k)
			d.mu.Unlock()
		}, k)
	}
	s.entries = append(s.entries, e)
	switch {
	case s.ix != nil:
		s.ix.Add(e.id, e.ext, e.sig)
		s.tracking[e.id] = e.tracking
	case len(s.entries) > stageLinear:
		opts := d.opts.Index
		opts.ExpectedSize = 4 * stageLinear
		s.ix = repeats.NewIndex(opts)
		s.tracking = make(map[int64]string, 4*stageLinear)
		for _, x := range s.entries {
			s.ix.Add(x.id, x.ext, x.sig)
			s.tracking[x.id] = x.tracking
		}
	}
}

// stageDrop forgets the stage of tx once its work is in the index. All of
// a stage's entries that committed are added by their own AfterCommit.
func (d *Detector) stageDrop(tx *store.Tx, _ int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.stages, weak.Make(tx))
}

func sortCandidates(cs []repeats.Candidate) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && (cs[j].Score > cs[j-1].Score || cs[j].Score == cs[j-1].Score && cs[j].ID > cs[j-1].ID); j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// RebuildOptions report progress of Rebuild.
type RebuildOptions struct {
	Progress io.Writer // nil: none
	Terminal bool      // draw a bar rather than a closing line
}

// Rebuild loads every stored signature into the index, streaming them in
// petition order. Signatures of a format this build no longer reads (the
// detector was retuned) are dropped, for Backfill to sign those petitions
// again. Call it once, on an empty detector, before the service registers
// anything, and Backfill after it.
func (d *Detector) Rebuild(ctx context.Context, st *store.Store, o RebuildOptions) (int, time.Duration, error) {
	t0 := time.Now()
	var bar *progressbar.ProgressBar
	if o.Progress != nil && o.Terminal {
		total, err := st.CountSignatures(ctx)
		if err != nil {
			return 0, 0, err
		}
		bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(o.Progress), progressbar.OptionSetDescription("重复件索引 repeat index"),
			progressbar.OptionSetWidth(30), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	}
	n := 0
	var stale []int64
	err := st.EachSignature(ctx, func(id int64, ext string, blob []byte) error {
		var sig repeats.Signature
		if err := sig.UnmarshalBinary(blob); err != nil {
			if errors.Is(err, repeats.ErrBadSignature) {
				// Written by another version of the detector: Backfill
				// signs the petition again.
				stale = append(stale, id)
				return nil
			}
			return fmt.Errorf("signature of petition %d: %w", id, err)
		}
		d.ix.Add(id, ext, sig)
		n++
		if bar != nil && n%1000 == 0 {
			_ = bar.Set(n)
		}
		return ctx.Err()
	})
	if err != nil {
		return n, time.Since(t0), fmt.Errorf("rebuild repeat index: %w", err)
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if len(stale) > 0 {
		if err := st.Write(ctx, func(tx *store.Tx) error {
			if err := tx.DeleteSignatures(stale); err != nil {
				return err
			}
			return tx.Audit(store.System, "repeats.resign", "repeat_signatures", len(stale), nil, map[string]any{"stale": len(stale)})
		}); err != nil {
			return n, time.Since(t0), fmt.Errorf("rebuild repeat index: %w", err)
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "repeat index: %d signatures of an older format dropped, to be signed again\n", len(stale))
		}
	}
	took := time.Since(t0)
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, "repeat index: %d petitions loaded in %v (%.1f MiB)\n", n, took.Round(time.Millisecond), float64(d.ix.MemoryEstimate())/(1<<20))
	}
	return n, took, nil
}

// Backfill signs, in id order, every stored petition that has no signature
// yet, as if each were registered now: its signature and candidates among
// the petitions before it are stored and it joins the index. Such petitions
// come from before migration 00004, and from loaders that register through
// a lifecycle service of their own (demo.Load runs its own clock). Call it
// after Rebuild, before serving.
func (d *Detector) Backfill(ctx context.Context, st *store.Store, o RebuildOptions) (int, error) {
	n := 0
	for {
		batch, err := st.UnsignedPetitions(ctx, 500)
		if err != nil {
			return n, err
		}
		if len(batch) == 0 {
			break
		}
		err = st.Write(ctx, func(tx *store.Tx) error {
			found := 0
			for i := range batch {
				rel, err := d.Registered(tx, &batch[i].Petition, &batch[i].Petitioner)
				if err != nil {
					return err
				}
				found += len(rel)
			}
			return tx.Audit(store.System, "repeats.backfill", "petition", batch[0].Petition.ID, nil, map[string]any{
				"first": batch[0].Petition.ID, "last": batch[len(batch)-1].Petition.ID, "signed": len(batch), "candidates": found})
		})
		if err != nil {
			return n, fmt.Errorf("backfill repeat signatures: %w", err)
		}
		n += len(batch)
	}
	if o.Progress != nil && n > 0 {
		fmt.Fprintf(o.Progress, "repeat index: %d petitions without a signature signed and indexed\n", n)
	}
	return n, nil
}
