package notices

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
)

//go:embed assets/notice.html assets/notice.css
var assets embed.FS

// page is parsed once; a template is safe for concurrent use.
var page = template.Must(template.ParseFS(assets, "assets/notice.html"))

// Stylesheet returns the CSS of the HTML notices (A4 @page rules). Serve it
// from the same origin: the page links it, and carries no inline style or
// script, so it works under the strict Content-Security-Policy.
func Stylesheet() []byte {
	b, err := assets.ReadFile("assets/notice.css")
	if err != nil {
		panic("notices: stylesheet not embedded: " + err.Error())
	}
	return b
}

// StylesheetHash returns a short content hash of Stylesheet, for cache-busting URLs.
func StylesheetHash() string {
	sum := sha256.Sum256(Stylesheet())
	return hex.EncodeToString(sum[:6])
}

// HTML writes the notice as a print-ready page that links its stylesheet at cssURL.
func (n *Notice) HTML(w io.Writer, cssURL string) error {
	var buf bytes.Buffer
	if err := page.Execute(&buf, struct {
		N   *Notice
		CSS string
	}{n, cssURL}); err != nil {
		return fmt.Errorf("notice %s of petition %d as HTML: %w", n.Kind, n.PetitionID, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("notice %s of petition %d as HTML: %w", n.Kind, n.PetitionID, err)
	}
	return nil
}
