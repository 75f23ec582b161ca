package web

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"redress/internal/failure"
	"redress/internal/importer"
	"redress/internal/org"
	"redress/internal/store"
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

// importView is a snapshot of a job for the template.
type importView struct {
	ID, File, Phase, Message string
	Done, Total, Percent     int
	Rows, Created, Existing  int
	Rejects                  []store.ImportReject // the first invalid rows, as the user reads them
	MoreRejects              int
	Bad                      int // invalid rows in all
	Skip, Running            bool
	Started                  time.Time
	// Recent are the user's latest imports, on the upload page.
	Recent []importView
}

// record is the job as the store keeps it.
func (j *importJob) record(now time.Time) store.ImportJob {
	j.mu.Lock()
	defer j.mu.Unlock()
	r := store.ImportJob{ID: j.ID, OwnerID: j.Owner, File: j.File, SkipInvalid: j.Skip, Phase: j.phase, Done: j.done, Total: j.total,
		Rows: j.rows, Created: j.created, Existing: j.existing, RejectCount: len(j.rejects), Message: j.message,
		StartedAt: j.started, HeartbeatAt: now}
	if !j.finished.IsZero() {
		f := j.finished
		r.FinishedAt = &f
	}
	for i, x := range j.rejects {
		if i == store.MaxImportRejects {
			break
		}
		r.Rejects = append(r.Rejects, store.ImportReject{Line: x.Line, Error: x.Error})
	}
	return r
}

// importViewOf is a recorded job as its page shows it. A job whose process
// stopped sending heartbeats reads as interrupted.
func importViewOf(r store.ImportJob, now time.Time) importView {
	v := importView{ID: r.ID, File: r.File, Phase: r.Phase, Message: r.Message, Done: r.Done, Total: r.Total, Rows: r.Rows,
		Created: r.Created, Existing: r.Existing, Skip: r.SkipInvalid, Running: r.Running(), Started: r.StartedAt,
		Bad: r.RejectCount}
	if r.Interrupted(now, importStale) {
		v.Phase, v.Running = "interrupted", false
	}
	if v.Total > 0 {
		v.Percent = min(100, v.Done*100/v.Total)
	}
	v.Rejects = r.Rejects
	v.MoreRejects = r.RejectCount - len(r.Rejects)
	return v
}

// importBeat is how often a running job records its progress, and
// importStale how old that record may be before the job reads as
// interrupted (its process ended).
var importBeat = 2 * time.Second

const importStale = time.Minute

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
	v := importView{}
	var err error
	if v.Recent, err = w.recentImports(r.Context(), s); err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "import", v)
}

// recentImports are the user's latest imports, from the store.
func (w *Web) recentImports(ctx context.Context, s *session) ([]importView, error) {
	jobs, err := w.st.ImportJobs(ctx, s.user.ID, 20)
	if err != nil {
		return nil, err
	}
	now := w.svc.Now()
	var out []importView
	for _, j := range jobs {
		out = append(out, importViewOf(j, now))
	}
	return out, nil
}

// saveImport records the job's state in the store.
func (w *Web) saveImport(ctx context.Context, j *importJob, u org.User) error {
	rec := j.record(w.svc.Now())
	return w.st.Write(ctx, func(tx *store.Tx) error {
		return tx.SaveImportJob(store.Actor{ID: u.ID, Login: u.Login}, rec)
	})
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
		started: w.svc.Now(), phase: "checking"}
	if err := w.saveImport(r.Context(), j, s.user); err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.imports.add(j)
	go w.runImport(context.WithoutCancel(r.Context()), j, s.user, s.locale, format, body)
	http.Redirect(rw, r, "/imports/"+j.ID, http.StatusSeeOther)
}

// runImport checks and stores the batch, recording progress on j.
func (w *Web) runImport(ctx context.Context, j *importJob, u org.User, locale string, format importer.Format, body []byte) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	save := func() {
		if err := w.saveImport(ctx, j, u); err != nil {
			slog.Error("web import: record progress", "user", u.Login, "job", j.ID, "err", err)
		}
	}
	// Progress is recorded by a beat of its own, never from the progress
	// callback: the store reports progress from inside the batch's
	// transaction, where a write would wait for that very transaction (on
	// SQLite's single writer, for ever). While the batch is written the
	// beat's write waits for it; the job's own process still shows live
	// progress from memory.
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(importBeat)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				save()
			case <-stop:
				return
			}
		}
	}()
	progress := func(done, total int) {
		j.set(func(j *importJob) { j.done, j.total = done, total })
	}
	finish := func(phase, msg string) {
		close(stop)
		<-stopped // no beat may record the running job after its end
		j.set(func(j *importJob) { j.phase, j.message, j.finished = phase, msg, w.svc.Now() })
		save()
	}
	c, err := importer.Check(ctx, w.svc, bytes.NewReader(body), format, progress)
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
	save()
	st, err := importer.Store(ctx, w.svc, u, c, progress)
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
	v, err := w.importFind(r.Context(), r.PathValue("id"), s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.render(rw, r, s, http.StatusOK, "import", v)
}

func (w *Web) importStatus(rw http.ResponseWriter, r *http.Request, s *session) {
	v, err := w.importFind(r.Context(), r.PathValue("id"), s)
	if err != nil {
		w.fail(rw, r, s, err)
		return
	}
	w.renderFragment(rw, r, s, http.StatusOK, "import", "import-status", v)
}

// importFind is the user's job: live from this process while it runs
// here, else as recorded in the store (after a restart, or when another
// server process runs it). Another user's job is not found.
func (w *Web) importFind(ctx context.Context, id string, s *session) (importView, error) {
	if j, ok := w.imports.get(id, s.user); ok {
		now := w.svc.Now()
		return importViewOf(j.record(now), now), nil
	}
	rec, err := w.st.ImportJob(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && rec.OwnerID != s.user.ID {
		return importView{}, failure.NotFound("import")
	}
	if err != nil {
		return importView{}, err
	}
	return importViewOf(rec, w.svc.Now()), nil
}
