package lifecycle

import (
	"context"
	"errors"
	"net/http"
	"time"

	"redress/internal/calendar"
	"redress/internal/deadline"
	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/org"
	"redress/internal/petition"
	"redress/internal/store"
)

// Registered is the outcome of registering a petition.
type Registered struct {
	ID           int64               `json:"id"`
	TrackingCode string              `json:"tracking_code"`
	State        petition.State      `json:"state"`
	Deadlines    []petition.Deadline `json:"deadlines"`
	// Existing is true when the external id was already registered:
	// the earlier petition is returned and nothing is written.
	Existing bool `json:"existing"`
	// Related lists earlier petitions the intake hooks found on the same
	// matter (repeat petitions), best first.
	Related []petition.Related `json:"related,omitempty"`
}

// IntakeHook runs inside the registering transaction, after the petition
// and its deadlines are stored. A hook's error fails the registration.
type IntakeHook interface {
	Registered(tx *store.Tx, p *petition.Petition, pr *petition.Petitioner) ([]petition.Related, error)
}

// Prepared is a validated record with everything needed to store it.
type Prepared struct {
	rec      intake.Record
	accused  int64
	tracking string
}

// Prepare validates a record against the organisation.
func (s *Service) Prepare(ctx context.Context, rec intake.Record, requireExternalID bool) (Prepared, error) {
	tree, err := s.st.Units(ctx)
	if err != nil {
		return Prepared{}, err
	}
	rec.Normalize()
	if err := rec.Validate(tree, requireExternalID); err != nil {
		return Prepared{}, err
	}
	p := Prepared{rec: rec, tracking: NewTrackingCode()}
	if rec.AccusedUnitCode != "" {
		u, ok := tree.ByCode(rec.AccusedUnitCode)
		if !ok {
			return Prepared{}, failure.Invalid("accused_unit_code", "accused_unit_code %q is not a unit", rec.AccusedUnitCode)
		}
		p.accused = u.ID
	}
	return p, nil
}

// Register validates and stores one petition, durably, and returns its
// tracking code and first deadlines.
func (s *Service) Register(ctx context.Context, u org.User, rec intake.Record, requireExternalID bool) (Registered, error) {
	p, err := s.Prepare(ctx, rec, requireExternalID)
	if err != nil {
		return Registered{}, err
	}
	var out Registered
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		var err error
		out, err = s.RegisterTx(tx, u, p)
		return err
	})
	return out, err
}

// RegisterTx stores a prepared petition inside a transaction. A record whose
// external id is already stored is not stored again.
func (s *Service) RegisterTx(tx *store.Tx, u org.User, p Prepared) (Registered, error) {
	ctx := tx.Context()
	rec := p.rec
	if rec.ExternalID != "" {
		id, err := tx.PetitionIDByExternalID(rec.ExternalID)
		if err == nil {
			return Registered{ID: id, Existing: true}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return Registered{}, err
		}
	}
	cal, err := s.st.Calendar(ctx)
	if err != nil {
		return Registered{}, err
	}
	limits, err := s.st.TimeLimits(ctx)
	if err != nil {
		return Registered{}, err
	}
	now := s.now().UTC()
	pr := petition.Petitioner{Kind: "person", Name: rec.PetitionerName, IDNumber: rec.PetitionerIDNumber, Phone: rec.Phone,
		Address: rec.Address, DistrictCode: rec.DistrictCode, GroupSize: 1}
	if rec.GroupSize > 1 {
		pr.Kind, pr.GroupSize = "group", rec.GroupSize
	}
	found := false
	if pr.Kind == "person" && pr.IDNumber != "" {
		old, err := tx.PetitionerByIDNumber(pr.IDNumber)
		switch {
		case err == nil:
			pr, found = old, true
		case !errors.Is(err, store.ErrNotFound):
			return Registered{}, err
		}
	}
	if !found {
		if err := tx.CreatePetitioner(&pr); err != nil {
			return Registered{}, err
		}
	}
	matter, err := tx.CreateMatter(rec.Title, now)
	if err != nil {
		return Registered{}, err
	}
	pet := petition.Petition{
		ExternalID: rec.ExternalID, TrackingCode: p.tracking, ReceivedAt: rec.ReceivedAt, Channel: rec.Channel,
		PetitionerID: pr.ID, MatterID: matter, DistrictCode: rec.DistrictCode, Address: rec.Address,
		Title: rec.Title, Content: rec.Content, State: petition.Registered, Accusation: rec.Accusation,
		AccusedUnitID: p.accused, CreatedAt: now, UpdatedAt: now,
	}
	if err := tx.InsertPetition(&pet); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Registered{}, failure.New(failure.CodeConflict, http.StatusConflict, "a petition with external_id %q is being registered at the same time", rec.ExternalID)
		}
		return Registered{}, err
	}
	received := calendar.DateOf(rec.ReceivedAt)
	var ds []petition.Deadline
	for _, k := range []deadline.Kind{deadline.Acknowledge, deadline.Assign} {
		r := limits[k]
		ds = append(ds, petition.Deadline{PetitionID: pet.ID, Kind: k, StartedOn: received, DueOn: deadline.Due(cal, r, received), Rule: r,
			CalendarRevision: cal.Revision(), Obligation: true, ComputedAt: now})
	}
	if err := tx.InsertDeadlines(ds); err != nil {
		return Registered{}, err
	}
	ev := petition.Event{PetitionID: pet.ID, At: now, ActorID: u.ID, Action: "register", ToState: petition.Registered,
		Data: map[string]any{"channel": rec.Channel}}
	if err := tx.AddEvent(&ev); err != nil {
		return Registered{}, err
	}
	var related []petition.Related
	for _, h := range s.hooks {
		rel, err := h.Registered(tx, &pet, &pr)
		if err != nil {
			return Registered{}, err
		}
		related = append(related, rel...)
	}
	if err := tx.Audit(actorOf(u), "petition.register", "petition", pet.ID, nil, map[string]any{
		"external_id": rec.ExternalID, "tracking_code": pet.TrackingCode, "channel": rec.Channel, "district_code": rec.DistrictCode,
		"title": rec.Title, "state": pet.State, "petitioner_id": pr.ID, "matter_id": matter, "received_at": rec.ReceivedAt.UTC().Format(time.RFC3339),
	}); err != nil {
		return Registered{}, err
	}
	return Registered{ID: pet.ID, TrackingCode: pet.TrackingCode, State: pet.State, Deadlines: ds, Related: related}, nil
}
