package escalation

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"redress/internal/store"
)

// SMTP says how email is sent; an empty Addr means no email.
type SMTP struct {
	Addr     string // host:port
	From     string
	User     string // PLAIN auth when set
	Password string
}

// Sign returns the signature header value of a webhook body: "sha256=" and
// the hex HMAC-SHA256 of the body under secret.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Delivered counts what one delivery round did.
type Delivered struct {
	Sent, Retrying, Failed int
}

// lease is how long a claimed message is reserved for the process sending it.
const lease = 2 * time.Minute

// Deliver sends the outbox messages due at now: each is claimed in one
// transaction, sent with no transaction open, and its outcome recorded in
// another. A failure is retried after an exponentially growing wait. A
// process that dies mid-send leaves its claim to lapse after the lease, so
// delivery is at least once: receivers drop repeats by X-Redress-Delivery.
func (s *Service) Deliver(ctx context.Context, now time.Time) (Delivered, error) {
	var d Delivered
	for {
		var batch []store.OutboxMessage
		err := s.st.Write(ctx, func(tx *store.Tx) error {
			var err error
			batch, err = tx.ClaimOutbox(now, lease, 50)
			return err
		})
		if err != nil {
			return d, fmt.Errorf("claim outbox: %w", err)
		}
		if len(batch) == 0 {
			return d, nil
		}
		for _, m := range batch {
			sendErr := s.send(ctx, m)
			var retryAt time.Time
			errText := ""
			switch {
			case sendErr == nil:
				d.Sent++
			case m.Attempts+1 >= s.o.MaxAttempts:
				errText = sendErr.Error()
				d.Failed++
				s.log.Error("outbox message given up", "id", m.ID, "channel", m.Channel, "attempts", m.Attempts+1, "err", sendErr)
			default:
				errText = sendErr.Error()
				retryAt = now.Add(s.backoff(m.Attempts + 1))
				d.Retrying++
				s.log.Warn("outbox message not delivered; will retry", "id", m.ID, "channel", m.Channel, "retry_at", retryAt, "err", sendErr)
			}
			err := s.st.Write(ctx, func(tx *store.Tx) error {
				return tx.OutboxResult(m.ID, sendErr == nil, errText, retryAt, now)
			})
			if err != nil {
				return d, fmt.Errorf("record delivery of message %d: %w", m.ID, err)
			}
		}
	}
}

// backoff is the wait after the n-th failed attempt.
func (s *Service) backoff(n int) time.Duration {
	d := s.o.Backoff
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

func (s *Service) send(ctx context.Context, m store.OutboxMessage) error {
	switch m.Channel {
	case "webhook":
		return s.sendWebhook(ctx, m)
	case "email":
		return s.sendEmail(m)
	}
	return fmt.Errorf("unknown channel %q", m.Channel)
}

func (s *Service) sendWebhook(ctx context.Context, m store.OutboxMessage) error {
	secret := ""
	for _, wh := range s.o.Webhooks {
		if wh.URL == m.Target {
			secret = wh.Secret
		}
	}
	body := []byte(m.Body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.Target, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Redress-Delivery", strconv.FormatInt(m.ID, 10))
	if secret != "" {
		req.Header.Set("X-Redress-Signature", Sign(secret, body))
	}
	res, err := s.o.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", m.Target, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("webhook %s answered %s", m.Target, res.Status)
	}
	return nil
}

func (s *Service) sendEmail(m store.OutboxMessage) error {
	c := s.o.SMTP
	if c.Addr == "" {
		return fmt.Errorf("email to %s: no SMTP server is configured", m.Target)
	}
	var auth smtp.Auth
	if c.User != "" {
		host, _, err := net.SplitHostPort(c.Addr)
		if err != nil {
			return fmt.Errorf("smtp address %q: %w", c.Addr, err)
		}
		auth = smtp.PlainAuth("", c.User, c.Password, host)
	}
	var msg strings.Builder
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		c.From, m.Target, mime.BEncoding.Encode("UTF-8", m.Subject), strings.ReplaceAll(m.Body, "\n", "\r\n"))
	if err := smtp.SendMail(c.Addr, auth, c.From, []string{m.Target}, []byte(msg.String())); err != nil {
		return fmt.Errorf("email to %s: %w", m.Target, err)
	}
	return nil
}

// Run sweeps once at start and then every interval, and delivers the
// outbox after each sweep, whenever a step commits, and on each tick (for
// retries), until ctx ends. now is the clock (time.Now in production).
func (s *Service) Run(ctx context.Context, interval time.Duration, now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		res, err := s.Sweep(ctx, now())
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Error("escalation sweep failed", "err", err)
		case res.Fired > 0 || res.Delisted > 0 || res.Failed > 0:
			s.log.Info("escalation sweep", "fired", res.Fired, "delisted", res.Delisted, "failed", res.Failed)
		}
		s.deliverLogged(ctx, now)
		for waiting := true; waiting; {
			select {
			case <-ctx.Done():
				return
			case <-s.poke:
				s.deliverLogged(ctx, now)
			case <-tick.C:
				waiting = false
			}
		}
	}
}

func (s *Service) deliverLogged(ctx context.Context, now func() time.Time) {
	if _, err := s.Deliver(ctx, now()); err != nil && ctx.Err() == nil {
		s.log.Error("outbox delivery failed", "err", err)
	}
}
