package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"redress/internal/failure"
	"redress/internal/importer"
	"redress/internal/org"
)

// maxImportBytes caps an uploaded batch file.
const maxImportBytes = 64 << 20

// importJobTTL is how long a finished import's result stays readable.
const importJobTTL = time.Hour

// importJob is one batch import running in the background; its page polls
// its progress.
type importJob struct {
	ID      string
	Owner   int64
	File    string
	Skip    bool
	started time.Time

	mu       sync.Mutex
	phase    string // "checking", "storing", "done", "refused", "failed"
	done     int
	total    int
	rows     int
	created  int
	existing int
	rejects  []importer.Reject
	message  string // why it failed or was refused (already translated)
	finished time.Time
}

// rejectRow is an invalid row as the user reads it.
type rejectRow struct {
	Line  int
	Error string
}

// importView is a snapshot of a job for the template.
type importView struct {
	ID, File, Phase, Message string
	Done, Total, Percent     int
	Rows, Created, Existing  int
	Rejects                  []rejectRow
	MoreRejects              int
	Skip, Running            bool
}

func (j *importJob) view() importView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := importView{ID: j.ID, File: j.File, Phase: j.phase, Message: j.message, Done: j.done, Total: j.total, Rows: j.rows,
		Created: j.created, Existing: j.existing, Skip: j.Skip, Running: j.phase == "checking" || j.phase == "storing"}
	if j.total > 0 {
		v.Percent = min(100, j.done*100/j.total)
	}
	for i, r := range j.rejects {
		if i == 100 {
			v.MoreRejects = len(j.rejects) - 100
			break
		}
		v.Rejects = append(v.Rejects, rejectRow{Line: r.Line, Error: r.Error})
	}
	return v
}

func (j *importJob) set(f func(j *importJob)) {
	j.mu.Lock()
	f(j)
	j.mu.Unlock()
}

// importJobs are the imports of this process.
type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

func (js *importJobs) add(j *importJob) {
	js.mu.Lock()
	defer js.mu.Unlock()
	if js.jobs == nil {
		js.jobs = map[string]*importJob{}
	}
	for id, old := range js.jobs {
		old.mu.Lock()
		expired := !old.finished.IsZero() && time.Since(old.finished) > importJobTTL
		old.mu.Unlock()
		if expired {
			delete(js.jobs, id)
		}
	}
	js.jobs[j.ID] = j
}

// get returns the job if u started it.
func (js *importJobs) get(id string, u org.User) (*importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok || j.Owner != u.ID {
		return nil, false
	}
	return j, true
}

// importForm shows the upload form.
func (w *Web) importForm(rw http.ResponseWriter, r *http.Request, s *session) {
	w.render(rw, r, s, http.StatusOK, "import", importView{})
}

// importStart reads the upload, checks its format and starts the job.
func (w *Web) importStart(rw http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(rw, r.Body, maxImportBytes)
	refuse := func(err error) {
		w.render(rw, r, s, http.StatusUnprocessableEntity, "import", importView{Message: w.cat.Error(s.locale, err)})
	}
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		refuse(failure.Invalid("file", "the upload could not be read or is larger than %d MiB", maxImportBytes>>20))
		return
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		refuse(failure.Invalid("file", "choose a file to import"))
		return
	}
	defer f.Close()
	format, err := importer.FormatOf(hdr.Filename)
	if err != nil {
		refuse(err)
		return
	}
	body, err := io.ReadAll(f)
	if err != nil {
		refuse(failure.Invalid("file", "the upload could not be read"))
		return
	}
	idb := make([]byte, 12)
	_, _ = rand.Read(idb)
	j := &importJob{ID: hex.EncodeToString(idb), Owner: s.user.ID, File: hdr.Filename, Skip: r.FormValue("skip_invalid") != "",
		started: time.Now(), phase: "checking"}
	w.imports.add(j)
	go w.runImport(context.WithoutCancel(r.Context()), j, s.user, s.locale, format, body)
	http.Redirect(rw, r, "/imports/"+j.ID, http.StatusSeeOther)
}

// runImport checks and stores the batch, recording progress on j.
func (w *Web) runImport(ctx context.Context, j *importJob, u org.User, locale string, format importer.Format, body []byte) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	finish := func(phase, msg string) {
		j.set(func(j *importJob) { j.phase, j.message, j.finished = phase, msg, time.Now() })
	}
	c, err := importer.Check(ctx, w.svc, bytes.NewReader(body), format, func(done, total int) {
		j.set(func(j *importJob) { j.done, j.total = done, total })
	})
	if err != nil {
		if fe := failure.Public(err); fe.Status >= 500 {
			slog.Error("web import: check", "user", u.Login, "file", j.File, "err", err)
		}
		finish("failed", w.cat.Error(locale, err))
		return
	}
	for i, r := range c.Rejects {
		// Validation failures read in the user's language; a row that does
		// not decode keeps the decoder's words.
		if fe := failure.Public(r.Err); r.Err != nil && fe.Field != "" && fe.Status < 500 {
			c.Rejects[i].Error = w.cat.Error(locale, r.Err)
		}
	}
	j.set(func(j *importJob) { j.rows, j.rejects = c.Rows, c.Rejects })
	if len(c.Rejects) > 0 && !j.Skip {
		finish("refused", "")
		return
	}
	j.set(func(j *importJob) { j.phase, j.done, j.total = "storing", 0, len(c.Good) })
	st, err := importer.Store(ctx, w.svc, u, c, func(done, total int) {
		j.set(func(j *importJob) { j.done, j.total = done, total })
	})
	if err != nil {
		slog.Error("web import: store", "user", u.Login, "file", j.File, "err", err)
		finish("failed", w.cat.Error(locale, err))
		return
	}
	j.set(func(j *importJob) { j.created, j.existing = st.Created, st.Existing })
	finish("done", "")
}

// importShow is the job's page; importStatus its progress fragment, which
// htmx polls while the job runs.
func (w *Web) importShow(rw http.ResponseWriter, r *http.Request, s *session) {
	j, ok := w.imports.get(r.PathValue("id"), s.user)
	if !ok {
		w.fail(rw, r, s, failure.NotFound("import"))
		return
	}
	w.render(rw, r, s, http.StatusOK, "import", j.view())
}

func (w *Web) importStatus(rw http.ResponseWriter, r *http.Request, s *session) {
	j, ok := w.imports.get(r.PathValue("id"), s.user)
	if !ok {
		w.fail(rw, r, s, failure.NotFound("import"))
		return
	}
	w.renderFragment(rw, r, s, http.StatusOK, "import", "import-status", j.view())
}
