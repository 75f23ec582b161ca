package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"redress/internal/petition"
)

// Attachment is a file a petitioner sent with a petition through the portal.
// The bytes live under the data directory, named by their SHA-256.
type Attachment struct {
	ID          int64     `json:"id"`
	PetitionID  int64     `json:"petition_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// InsertAttachment records an attachment whose bytes are already stored.
func (t *Tx) InsertAttachment(a Actor, at *Attachment) error {
	id, err := t.insert(`INSERT INTO portal_attachments (petition_id, file_name, content_type, size, sha256, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, at.PetitionID, at.FileName, at.ContentType, at.Size, at.SHA256, at.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("insert attachment of petition %d: %w", at.PetitionID, err)
	}
	at.ID = id
	return t.Audit(a, "attachment.create", "attachment", id, nil, map[string]any{
		"petition_id": at.PetitionID, "content_type": at.ContentType, "size": at.Size, "sha256": at.SHA256})
}

// Attachments lists a petition's attachments.
func (s *Store) Attachments(ctx context.Context, petitionID int64) ([]Attachment, error) {
	rows, err := s.query(ctx, `SELECT id, petition_id, file_name, content_type, size, sha256, created_at
		FROM portal_attachments WHERE petition_id = ? ORDER BY id`, petitionID)
	if err != nil {
		return nil, fmt.Errorf("attachments of %d: %w", petitionID, err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.PetitionID, &a.FileName, &a.ContentType, &a.Size, &a.SHA256, &a.CreatedAt); err != nil {
			return nil, fmt.Errorf("attachments of %d: %w", petitionID, mapErr(err))
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}

// Satisfaction ratings (满意 / 基本满意 / 不满意).
const (
	RatingSatisfied          = "satisfied"
	RatingBasicallySatisfied = "basically_satisfied"
	RatingUnsatisfied        = "unsatisfied"
)

// RatePetition records the petitioner's satisfaction with the reply. A
// petition is rated once: a second rating is ErrConflict.
func (t *Tx) RatePetition(a Actor, petitionID int64, rating string, at time.Time) error {
	if _, err := t.Exec("INSERT INTO portal_ratings (petition_id, rating, rated_at) VALUES (?, ?, ?)", petitionID, rating, at.UTC()); err != nil {
		return fmt.Errorf("rate petition %d: %w", petitionID, err)
	}
	return t.Audit(a, "petition.rate", "petition", petitionID, nil, map[string]any{"rating": rating})
}

// Rating returns a petition's satisfaction rating, or "" if it has none.
func (s *Store) Rating(ctx context.Context, petitionID int64) (string, error) {
	var r string
	err := s.queryRow(ctx, "SELECT rating FROM portal_ratings WHERE petition_id = ?", petitionID).Scan(&r)
	if err != nil {
		if err = mapErr(err); errors.Is(err, ErrNotFound) {
			return "", nil
		}
		return "", fmt.Errorf("rating of %d: %w", petitionID, err)
	}
	return r, nil
}

// SetContactPhone records the phone number given with a portal submission.
// The audit names the petition only: the number is personal data.
func (t *Tx) SetContactPhone(a Actor, petitionID int64, phone string, at time.Time) error {
	if _, err := t.Exec("INSERT INTO portal_contacts (petition_id, phone, created_at) VALUES (?, ?, ?)", petitionID, phone, at.UTC()); err != nil {
		return fmt.Errorf("contact phone of petition %d: %w", petitionID, err)
	}
	return t.Audit(a, "petition.contact", "petition", petitionID, nil, map[string]any{"phone_given": phone != ""})
}

// ContactPhone returns the phone number given with a portal submission, or
// "" if there is none.
func (s *Store) ContactPhone(ctx context.Context, petitionID int64) (string, error) {
	var phone string
	err := s.queryRow(ctx, "SELECT phone FROM portal_contacts WHERE petition_id = ?", petitionID).Scan(&phone)
	if err != nil {
		if err = mapErr(err); errors.Is(err, ErrNotFound) {
			return "", nil
		}
		return "", fmt.Errorf("contact phone of %d: %w", petitionID, err)
	}
	return phone, nil
}

// OpenCase is a petitioner's open case, as shown before a new submission.
type OpenCase struct {
	ID         int64
	Title      string
	ReceivedAt time.Time
	State      petition.State
}

// OpenCasesOf lists the open (not closed, not declined) petitions of the
// petitioners with this phone number or ID number, or submitted through the
// portal with this phone number, newest first.
func (s *Store) OpenCasesOf(ctx context.Context, phone, idNumber string) ([]OpenCase, error) {
	rows, err := s.query(ctx, `SELECT p.id, p.title, p.received_at, p.state FROM petitions p JOIN petitioners pr ON pr.id = p.petitioner_id
		WHERE (pr.phone = ? OR (? <> '' AND pr.id_number = ?)
			OR EXISTS (SELECT 1 FROM portal_contacts c WHERE c.petition_id = p.id AND c.phone = ?))
		AND p.state NOT IN (?, ?) ORDER BY p.id DESC LIMIT 50`,
		phone, idNumber, idNumber, phone, string(petition.Closed), string(petition.Declined))
	if err != nil {
		return nil, fmt.Errorf("open cases: %w", err)
	}
	defer rows.Close()
	var out []OpenCase
	for rows.Next() {
		var c OpenCase
		if err := rows.Scan(&c.ID, &c.Title, &c.ReceivedAt, &c.State); err != nil {
			return nil, fmt.Errorf("open cases: %w", mapErr(err))
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}
