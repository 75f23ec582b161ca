package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashCheck(t *testing.T) {
	h, err := Hash("redress-demo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=1,p=2$") {
		t.Fatalf("hash %s", h)
	}
	if err := Check(h, "redress-demo"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if err := Check(h, "redress-demO"); !errors.Is(err, ErrMismatch) {
		t.Fatalf("wrong password: %v", err)
	}
	h2, _ := Hash("redress-demo")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if err := Check("$bcrypt$x", "a"); err == nil {
		t.Fatal("foreign hash accepted")
	}
}
