package portal

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"redress/internal/failure"
	"redress/internal/intake"
	"redress/internal/org"
	"redress/internal/store"
)

// allowedTypes are the attachment types accepted, by sniffed content
// (http.DetectContentType), never by the name or the browser's claim.
var allowedTypes = map[string]string{
	"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "application/pdf": ".pdf",
}

// recordFields maps intake's field names onto the form's.
var recordFields = map[string]string{
	"petitioner_name": "name", "petitioner_id_number": "id_number", "phone": "phone", "district_code": "district",
	"address": "address", "title": "request", "content": "facts",
}

type submitData struct {
	Districts []org.Unit
	Similar   []store.OpenCase
	MaxFiles  int
	MaxFileMB int64
}

type submittedData struct {
	TrackingCode string
	Attachments  int
}

func (p *Portal) districts(r *http.Request) ([]org.Unit, error) {
	tree, err := p.st.Units(r.Context())
	if err != nil {
		return nil, err
	}
	var out []org.Unit
	for _, u := range tree.Units() {
		if u.Kind == org.KindDistrict {
			out = append(out, u)
		}
	}
	return out, nil
}

func (p *Portal) submitForm(w http.ResponseWriter, r *http.Request) {
	p.showSubmit(w, r, http.StatusOK, pageData{Form: map[string]string{}}, nil)
}

func (p *Portal) showSubmit(w http.ResponseWriter, r *http.Request, status int, d pageData, similar []store.OpenCase) {
	ds, err := p.districts(r)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d.Title = p.t(r, "title.submit")
	d.Data = submitData{Districts: ds, Similar: similar, MaxFiles: p.o.MaxFiles, MaxFileMB: p.o.MaxFileBytes >> 20}
	p.page(w, r, status, "submit", d)
}

// fail shows a generic error page and logs the cause.
func (p *Portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	fe := failure.Public(err)
	if fe.Status >= 500 {
		logError(r, err)
	}
	p.page(w, r, http.StatusInternalServerError, "message", pageData{Title: p.t(r, "title.error"), Error: p.t(r, "err.internal")})
}

// NormalizePhone keeps the digits (and a leading +) of a phone number, so
// "139 0429-1234" and "13904291234" are the same number.
func NormalizePhone(s string) string {
	var b strings.Builder
	for i, c := range strings.TrimSpace(s) {
		if c >= '0' && c <= '9' || (c == '+' && i == 0) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// upload is one attachment read from the form, already checked.
type upload struct {
	name, contentType, sha string
	data                   []byte
}

func (p *Portal) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, p.o.MaxBodyBytes)
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			p.tooLarge(w, r)
			return
		}
		p.page(w, r, http.StatusBadRequest, "message", pageData{Title: p.t(r, "title.failed"), Error: p.t(r, "err.form")})
		return
	}
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	} else if err := r.ParseForm(); err != nil {
		p.page(w, r, http.StatusBadRequest, "message", pageData{Title: p.t(r, "title.failed"), Error: p.t(r, "err.form")})
		return
	}
	form := map[string]string{}
	for _, k := range []string{"name", "id_number", "phone", "district", "address", "request", "facts"} {
		form[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	form["phone"] = NormalizePhone(form["phone"])
	form["id_number"] = strings.ToUpper(form["id_number"])
	d := pageData{Form: form, Fields: map[string]string{}}
	for _, k := range []string{"name", "phone", "district", "address", "request", "facts"} {
		if form[k] == "" {
			d.Fields[k] = p.t(r, "submit.missing", "field", p.t(r, "field."+k))
		}
	}
	if len(d.Fields) > 0 {
		d.Error = p.t(r, "submit.fix_missing")
		p.showSubmit(w, r, http.StatusBadRequest, d, nil)
		return
	}
	if ok, wait := p.byPhone.Allow(form["phone"]); !ok {
		p.tooMany(w, r, wait)
		return
	}
	files, msg, status := p.readUploads(r, p.locale(r))
	if status != 0 {
		if status == http.StatusRequestEntityTooLarge {
			p.tooLarge(w, r)
			return
		}
		d.Fields["attachments"] = msg
		d.Error = msg
		p.showSubmit(w, r, status, d, nil)
		return
	}
	// Before a new case is opened, show any open case of the same person
	// on what looks like the same matter: a repeat should follow the
	// existing case rather than start another.
	if r.PostFormValue("confirm") != "1" {
		open, err := p.st.OpenCasesOf(r.Context(), form["phone"], form["id_number"])
		if err != nil {
			p.fail(w, r, err)
			return
		}
		var similar []store.OpenCase
		for _, c := range open {
			if Similar(c.Title, form["request"]) {
				similar = append(similar, c)
			}
		}
		if len(similar) > 0 {
			d.Message = p.t(r, "submit.similar")
			p.showSubmit(w, r, http.StatusOK, d, similar)
			return
		}
	}
	// The record is data for the staff, in Chinese whatever language the
	// visitor reads the portal in.
	rec := intake.Record{
		ReceivedAt: p.svc.Now(), Channel: "online", PetitionerName: form["name"], PetitionerIDNumber: form["id_number"],
		Phone: form["phone"], DistrictCode: form["district"], Address: form["address"], Title: form["request"],
		Content: "诉求：" + form["request"] + "\n\n事实和理由：" + form["facts"],
	}
	prep, err := p.svc.Prepare(r.Context(), rec, false)
	if err != nil {
		var fe *failure.Error
		if errors.As(err, &fe) && fe.Status == http.StatusBadRequest {
			field := recordFields[fe.Field]
			if field == "" {
				field = "facts"
			}
			d.Fields[field] = p.t(r, "submit.invalid", "field", p.t(r, "field."+field))
			if field == "id_number" {
				d.Fields[field] = p.t(r, "submit.invalid_id_number")
			}
			d.Error = p.t(r, "submit.fix")
			p.showSubmit(w, r, http.StatusBadRequest, d, nil)
			return
		}
		p.fail(w, r, err)
		return
	}
	for _, f := range files {
		if err := p.saveFile(f); err != nil {
			p.fail(w, r, err)
			return
		}
	}
	var code string
	err = p.st.Write(r.Context(), func(tx *store.Tx) error {
		reg, err := p.svc.RegisterTx(tx, org.User{}, prep)
		if err != nil {
			return err
		}
		code = reg.TrackingCode
		if err := tx.SetContactPhone(p.actor, reg.ID, form["phone"], p.svc.Now()); err != nil {
			return err
		}
		for _, f := range files {
			a := store.Attachment{PetitionID: reg.ID, FileName: f.name, ContentType: f.contentType, Size: int64(len(f.data)),
				SHA256: f.sha, CreatedAt: p.svc.Now()}
			if err := tx.InsertAttachment(p.actor, &a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		p.fail(w, r, err)
		return
	}
	p.page(w, r, http.StatusOK, "submitted", pageData{Title: p.t(r, "title.submitted"), Data: submittedData{TrackingCode: code, Attachments: len(files)}})
}

// readUploads reads and checks the attachments. msg is a message for the
// petitioner, in their language loc, when they are refused, with the
// status to send.
func (p *Portal) readUploads(r *http.Request, loc string) (files []upload, msg string, status int) {
	if r.MultipartForm == nil {
		return nil, "", 0
	}
	var hs []*multipart.FileHeader
	for _, h := range r.MultipartForm.File["attachments"] {
		if h.Size > 0 || h.Filename != "" {
			hs = append(hs, h)
		}
	}
	if len(hs) > p.o.MaxFiles {
		return nil, p.cat.T(loc, "upload.too_many", "n", p.o.MaxFiles), http.StatusBadRequest
	}
	for _, h := range hs {
		if h.Size > p.o.MaxFileBytes {
			return nil, "", http.StatusRequestEntityTooLarge
		}
		f, err := h.Open()
		if err != nil {
			return nil, p.cat.T(loc, "upload.unreadable"), http.StatusBadRequest
		}
		data, err := io.ReadAll(io.LimitReader(f, p.o.MaxFileBytes+1))
		f.Close()
		if err != nil {
			return nil, p.cat.T(loc, "upload.unreadable"), http.StatusBadRequest
		}
		if int64(len(data)) > p.o.MaxFileBytes {
			return nil, "", http.StatusRequestEntityTooLarge
		}
		if len(data) == 0 {
			continue
		}
		ct := http.DetectContentType(data)
		if _, ok := allowedTypes[ct]; !ok {
			return nil, p.cat.T(loc, "upload.type", "name", cleanName(h.Filename)), http.StatusUnsupportedMediaType
		}
		sum := sha256.Sum256(data)
		files = append(files, upload{name: cleanName(h.Filename), contentType: ct, sha: hex.EncodeToString(sum[:]), data: data})
	}
	return files, "", 0
}

// cleanName keeps a file's base name, printable and at most 100 characters.
func cleanName(s string) string {
	s = filepath.Base(strings.ReplaceAll(s, `\`, "/"))
	s = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s)
	for utf8.RuneCountInString(s) > 100 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	if s == "" || s == "." || s == "/" {
		s = "附件"
	}
	return s
}

// saveFile stores an attachment under DataDir/attachments, named by its
// SHA-256: the same file stored twice is one file, and a file left behind
// by a failed registration is harmless.
func (p *Portal) saveFile(f upload) error {
	if p.o.DataDir == "" {
		return errors.New("portal: no data directory for attachments")
	}
	dir := filepath.Join(p.o.DataDir, "attachments", f.sha[:2])
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("attachment directory: %w", err)
	}
	path := filepath.Join(dir, f.sha+allowedTypes[f.contentType])
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(f.data); err != nil {
		tmp.Close()
		return fmt.Errorf("store attachment: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("store attachment: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("store attachment: %w", err)
	}
	return nil
}

// Similar reports whether two petition titles look like the same matter:
// after dropping spaces and punctuation, one contains the other, or they
// share at least half their character pairs (Dice coefficient).
func Similar(a, b string) bool {
	x, y := squeeze(a), squeeze(b)
	if len(x) == 0 || len(y) == 0 {
		return false
	}
	short, long := x, y
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) >= 4 && strings.Contains(string(long), string(short)) {
		return true
	}
	bx, by := bigrams(x), bigrams(y)
	if len(bx) == 0 || len(by) == 0 {
		return string(x) == string(y)
	}
	common := 0
	for g, n := range bx {
		common += min(n, by[g])
	}
	total := 0
	for _, n := range bx {
		total += n
	}
	for _, n := range by {
		total += n
	}
	return 2*common*2 >= total
}

func squeeze(s string) []rune {
	var out []rune
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			out = append(out, unicode.ToLower(c))
		}
	}
	return out
}

func bigrams(rs []rune) map[[2]rune]int {
	m := map[[2]rune]int{}
	for i := 0; i+1 < len(rs); i++ {
		m[[2]rune{rs[i], rs[i+1]}]++
	}
	return m
}
