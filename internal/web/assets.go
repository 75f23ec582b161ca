package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files, each served under a URL that carries
// a hash of its content, so browsers may keep it for a year.
type assets struct {
	byURL  map[string]asset  // "app.3f9a….css" → file
	byName map[string]string // "app.css" → "/static/app.3f9a….css"
}

type asset struct {
	body        []byte
	contentType string
}

func loadAssets() (*assets, error) {
	a := &assets{byURL: map[string]asset{}, byName: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		if ext == "" || strings.HasSuffix(name, "VERSIONS") {
			return nil
		}
		sum := sha256.Sum256(body)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		a.byURL[hashed] = asset{body: body, contentType: ct}
		a.byName[name] = "/static/" + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	return a, nil
}

// url returns the hashed URL of a static file; it panics on an unknown name
// because templates are executed once at start-up (see loadPages' check).
func (a *assets) url(name string) string {
	u, ok := a.byName[name]
	if !ok {
		panic(fmt.Sprintf("web: no static file %q", name))
	}
	return u
}

func (a *assets) serve(rw http.ResponseWriter, r *http.Request) {
	f, ok := a.byURL[r.PathValue("path")]
	if !ok {
		http.NotFound(rw, r)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(rw, r, "", time.Time{}, bytes.NewReader(f.body))
}
