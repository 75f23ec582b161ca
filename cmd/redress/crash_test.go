package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"redress/internal/store"
	"redress/internal/storetest"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "redress-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "redress")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build redress: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServer(t *testing.T, dsn, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--db", dsn, "--addr", addr, "--log-level", "warn")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200; i++ {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("server did not start: %s", stderr.String())
	return nil
}

type acked struct {
	ext string
	id  int64
}

// TestCrashKeepsAcknowledgedPetitions kills the server with SIGKILL in the
// middle of concurrent intake, restarts it, and checks that every petition
// it acknowledged is there and the audit chain still verifies.
func TestCrashKeepsAcknowledgedPetitions(t *testing.T) {
	dsn := storetest.DSN(t)
	st := storetest.OpenDSN(t, dsn)
	o := storetest.Seed(t, st)
	var tok string
	if err := st.Write(context.Background(), func(tx *store.Tx) error {
		var err error
		tok, err = tx.CreateToken(store.System, o.Users["bureau"].ID, "crash", nil)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	var all []acked
	for round := 0; round < 3; round++ {
		addr := freeAddr(t)
		cmd := startServer(t, dsn, addr)
		var mu sync.Mutex
		var wg sync.WaitGroup
		stop := make(chan struct{})
		// Kill at a random point measured in acknowledged petitions, not in
		// time, so a slow machine does not change what the test proves.
		killAt := len(all) + 20 + rand.IntN(80)
		reached := make(chan struct{})
		var once sync.Once
		for c := 0; c < 16; c++ {
			wg.Add(1)
			go func(c int) {
				defer wg.Done()
				hc := &http.Client{Timeout: 5 * time.Second}
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					ext := fmt.Sprintf("R%d-C%d-%d", round, c, i)
					body, _ := json.Marshal(map[string]any{"external_id": ext, "channel": "hotline", "petitioner_name": "张明",
						"district_code": "211402", "title": "供暖不热", "content": "室温不足16度，请尽快处理。"})
					req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/petitions", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+tok)
					req.Header.Set("Content-Type", "application/json")
					res, err := hc.Do(req)
					if err != nil {
						return // the server is gone
					}
					var out struct {
						ID int64 `json:"id"`
					}
					_ = json.NewDecoder(res.Body).Decode(&out)
					res.Body.Close()
					if res.StatusCode == http.StatusCreated {
						mu.Lock()
						all = append(all, acked{ext, out.ID})
						if len(all) >= killAt {
							once.Do(func() { close(reached) })
						}
						mu.Unlock()
					}
				}
			}(c)
		}
		select {
		case <-reached:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			t.Fatalf("round %d: the server acknowledged only %d petitions in two minutes", round, len(all))
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		close(stop)
		wg.Wait()
	}

	st = storetest.OpenDSN(t, dsn)
	for _, a := range all {
		c, err := st.Case(context.Background(), a.id)
		if err != nil {
			t.Fatalf("acknowledged petition %s (id %d) is missing after SIGKILL: %v", a.ext, a.id, err)
		}
		if c.Petition.ExternalID != a.ext {
			t.Fatalf("petition %d holds %s, acknowledged as %s", a.id, c.Petition.ExternalID, a.ext)
		}
	}
	st.Close()
	out, err := exec.Command(binary, "audit", "verify", "--db", dsn).CombinedOutput()
	if err != nil {
		t.Fatalf("audit chain after crashes: %v\n%s", err, out)
	}
	t.Logf("%d acknowledged petitions survived 3 SIGKILLs; %s", len(all), bytes.TrimSpace(out))
}
