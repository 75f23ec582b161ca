package cli

import (
	"context"
	"log/slog"
	"time"

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

// startDeficiencySweep runs the 容缺 sweep (matters.SweepDeficiencies) once
// at start and then every hour until ctx ends; the returned func waits for
// it to stop. Each run acts only on what is due, so running often is safe.
func startDeficiencySweep(ctx context.Context, svc *lifecycle.Service) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	ms := matters.New(svc)
	go func() {
		defer close(done)
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			res, err := ms.SweepDeficiencies(ctx, svc.Now(), matters.SweepOptions{})
			switch {
			case err != nil && ctx.Err() == nil:
				slog.Error("容缺 sweep", "err", err)
			case res.Terminated > 0 || res.Closed > 0:
				slog.Info("容缺 sweep", "terminated", res.Terminated, "closed", res.Closed)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}
