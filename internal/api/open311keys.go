package api

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"redress/internal/failure"
	"redress/internal/org"
	"redress/internal/respond"
	"redress/internal/store"
)

// open311Routes: an administrator issues Open311 api_keys (as `redress
// open311 key create` does on the command line).
func open311Routes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/open311/keys", Roles: adminOnly, handler: (*API).createOpen311Key,
			Op: obj{"summary": "Issue an Open311 GeoReport v2 api_key (shown once; only its hash is kept)",
				"requestBody": jsonBody(obj{"type": "object", "properties": obj{"name": str("a label for the client application")}}),
				"responses": obj{"201": reply("the new key", obj{"type": "object", "properties": obj{
					"id": obj{"type": "integer"}, "name": str(""), "api_key": str("the key; it cannot be shown again")}}),
					"400": errorReply, "401": errorReply, "403": errorReply}}},
	}
}

func (a *API) createOpen311Key(w http.ResponseWriter, r *http.Request, u org.User) {
	var body struct {
		Name string `json:"name"`
	}
	if err := a.decode(w, r, &body); err != nil {
		respond.Error(w, r, err)
		return
	}
	body.Name = strings.TrimSpace(body.Name)
	if utf8.RuneCountInString(body.Name) > 100 {
		respond.Error(w, r, failure.Invalid("name", "name has more than 100 characters"))
		return
	}
	var key string
	var k store.Open311Key
	err := a.st.Write(r.Context(), func(tx *store.Tx) error {
		var err error
		key, k, err = tx.CreateOpen311Key(store.Actor{ID: u.ID, Login: u.Login}, body.Name)
		return err
	})
	if err != nil {
		respond.Error(w, r, err)
		return
	}
	respond.JSON(w, r, http.StatusCreated, map[string]any{"id": k.ID, "name": k.Name, "api_key": key})
}
