package cli

import (
	"context"

	"redress/internal/lifecycle"
	"redress/internal/matters"
	"redress/internal/store"
)

// addRepeats rebuilds the repeat index from the store, signs the petitions
// stored without a signature (from before migration 00004, or loaded by
// demo.Load, which registers through a lifecycle service of its own), and
// adds repeat detection to every registration svc makes from now on.
func addRepeats(ctx context.Context, env *Env, st *store.Store, svc *lifecycle.Service) (*matters.Detector, error) {
	det := matters.NewDetector(matters.DetectorOptions{})
	if _, _, err := det.Rebuild(ctx, st, matters.RebuildOptions{Progress: env.Stderr, Terminal: env.IsTerminal}); err != nil {
		return nil, err
	}
	if _, err := det.Backfill(ctx, st, matters.RebuildOptions{Progress: env.Stderr}); err != nil {
		return nil, err
	}
	svc.AddIntakeHook(det)
	return det, nil
}
