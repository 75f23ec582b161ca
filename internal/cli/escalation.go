package cli

import (
	"context"
	"sync"

	"redress/internal/config"
	"redress/internal/escalation"
	"redress/internal/store"
)

// startEscalation runs the escalation ladder's sweep-and-deliver loop until
// the returned stop function is called; stop waits for the loop to end.
func startEscalation(ctx context.Context, cfg *config.Config, st *store.Store) (stop func()) {
	o := escalation.Options{
		EmailTo: cfg.NotifyEmailTo,
		SMTP:    escalation.SMTP{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, User: cfg.SMTPUser, Password: cfg.SMTPPassword},
	}
	for _, u := range cfg.WebhookURLs {
		o.Webhooks = append(o.Webhooks, escalation.Webhook{URL: u, Secret: cfg.WebhookSecret})
	}
	if cfg.SMTPAddr == "" {
		o.EmailTo = nil
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		escalation.New(st, o).Run(ctx, cfg.EscalationInterval, nil)
	}()
	return func() { cancel(); wg.Wait() }
}
