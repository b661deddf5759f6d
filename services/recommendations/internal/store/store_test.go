package store

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"agora/services/recommendations/internal/domain"
)

func collect(t *testing.T, s *Store) []domain.Purchase {
	t.Helper()
	var got []domain.Purchase
	if err := s.Replay(func(p domain.Purchase) { got = append(got, p) }); err != nil {
		t.Fatal(err)
	}
	return got
}

// Two replicas on one data directory: what either appends, both read, once.
func TestReplicasShareOneLog(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Open(dir)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			_ = a.Append(domain.Purchase{EventID: fmt.Sprint("a", i), ProductIDs: []string{"x", "y"}})
		}(i)
		go func(i int) {
			defer wg.Done()
			_ = b.Append(domain.Purchase{EventID: fmt.Sprint("b", i), ProductIDs: []string{"x", "z"}})
		}(i)
	}
	wg.Wait()
	for _, s := range []*Store{a, b} {
		got := collect(t, s)
		seen := map[string]bool{}
		for _, p := range got {
			seen[p.EventID] = true
		}
		if len(got) != 100 || len(seen) != 100 {
			t.Fatalf("read %d purchases (%d distinct), want 100", len(got), len(seen))
		}
		if again := collect(t, s); len(again) != 0 {
			t.Fatalf("a second replay reads only new lines, got %d", len(again))
		}
	}
	_ = a.Append(domain.Purchase{EventID: "late"})
	if got := collect(t, b); len(got) != 1 || got[0].EventID != "late" {
		t.Errorf("b reads what a appended later: %v", got)
	}
}

func TestSurvivesARestartAndWaitsForAWholeLine(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(dir)
	_ = s.Append(domain.Purchase{EventID: "1", ProductIDs: []string{"a", "b"}})
	f, _ := os.OpenFile(filepath.Join(dir, FileName), os.O_APPEND|os.O_WRONLY, 0)
	_, _ = f.WriteString(`{"eventId":"2","productIds":["a"`) // a writer caught mid-line
	restarted, _ := Open(dir)
	if got := collect(t, restarted); len(got) != 1 || got[0].EventID != "1" {
		t.Fatalf("after a restart: %v", got)
	}
	_, _ = f.WriteString(`,"c"]}` + "\n")
	f.Close()
	if got := collect(t, restarted); len(got) != 1 || got[0].EventID != "2" || len(got[0].ProductIDs) != 2 {
		t.Errorf("the finished line is read next time: %v", got)
	}
}

func TestMemory(t *testing.T) {
	s, _ := Open(":memory:")
	_ = s.Append(domain.Purchase{EventID: "1"})
	if s.Path() != "" || len(collect(t, s)) != 1 || len(collect(t, s)) != 0 {
		t.Error("in memory: each purchase replayed once")
	}
}
