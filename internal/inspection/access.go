package inspection

import (
	"context"

	"redress/internal/org"
	"redress/internal/store"
)

// ListLimit caps the inspections one list shows.
const ListLimit = 500

// Reader says what u may read of the inspections of unitID: inspectors,
// leaders, the bureau and administrators read every report in full; the
// staff of the inspected unit (or of a unit above it) read only its
// rectification items; everyone else nothing.
func Reader(u org.User, tree *org.Tree, unitID int64) (read, full bool) {
	switch u.Role {
	case org.RoleInspector, org.RoleLeader, org.RoleBureau, org.RoleAdmin:
		return true, true
	case org.RoleHead, org.RoleHandler:
		return tree != nil && tree.Within(unitID, u.UnitID), false
	}
	return false, false
}

// MayComplete reports whether u may mark an item of unitID done, as
// CompleteRectification decides.
func MayComplete(u org.User, tree *org.Tree, unitID int64) bool {
	return u.Role == org.RoleInspector || (u.Role.UnitScoped() && tree != nil && tree.Within(u.UnitID, unitID))
}

// List returns the inspections u may read, newest first.
func List(ctx context.Context, st *store.Store, u org.User, tree *org.Tree) ([]store.InspectionRow, error) {
	var units []int64
	switch {
	case u.Role.UnitScoped():
		units = tree.Subtree(u.UnitID)
	case u.Role == org.RoleInspector || u.Role == org.RoleLeader || u.Role == org.RoleBureau || u.Role == org.RoleAdmin:
	default:
		return []store.InspectionRow{}, nil
	}
	return st.Inspections(ctx, units, ListLimit)
}
