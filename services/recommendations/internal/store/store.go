// Package store is the only data access of recommendations: an append-only
// log of purchases (one JSON line each) in DATA_DIR/recommendations.jsonl.
//
// Why a shared log file and not memory + rebuild: order.confirmed is emitted
// to one replica per group, so each replica receives only part of the orders.
// Every replica appends what it receives to the same log and reads what the
// others appended, so all of them answer from all orders, each order is
// written once, and a restart replays the file instead of asking the orders
// service for its history. Appends hold an exclusive flock, so lines from two
// processes never interleave. DATA_DIR=:memory: keeps purchases in memory
// only (one process, lost at exit), as for the Node services.
package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"agora/services/recommendations/internal/domain"
)

// FileName is the log's name inside DATA_DIR.
const FileName = "recommendations.jsonl"

// Store appends purchases and replays the ones not seen yet.
type Store struct {
	path   string // "" in memory
	mu     sync.Mutex
	offset int64 // bytes of the log already replayed
	memory []domain.Purchase
	read   int // purchases of memory already replayed
}

// Open opens (and creates) the log in dir; ":memory:" keeps it in memory.
func Open(dir string) (*Store, error) {
	if dir == ":memory:" {
		return &Store{}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDONLY, 0o644)
	if err != nil {
		return nil, err
	}
	f.Close()
	return &Store{path: path}, nil
}

// Path is the log file ("" in memory).
func (s *Store) Path() string { return s.path }

// Append writes one purchase as one line, under an exclusive lock.
func (s *Store) Append(p domain.Purchase) error {
	line, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if s.path == "" {
		s.mu.Lock()
		s.memory = append(s.memory, p)
		s.mu.Unlock()
		return nil
	}
	f, err := os.OpenFile(s.path, os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("locking %s: %w", s.path, err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if _, err := f.Write(append(line, '\n')); err != nil {
		return err
	}
	return f.Sync()
}

// Replay calls fn for every purchase appended (by any process) since the
// last Replay. A line still being written is left for the next call.
func (s *Store) Replay(fn func(domain.Purchase)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.path == "" {
		for _, p := range s.memory[s.read:] {
			fn(p)
		}
		s.read = len(s.memory)
		return nil
	}
	f, err := os.Open(s.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(s.offset, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReader(f)
	for {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			return nil // an incomplete last line is read again next time
		}
		if err != nil {
			return err
		}
		s.offset += int64(len(line))
		var p domain.Purchase
		if json.Unmarshal(bytes.TrimSpace(line), &p) == nil {
			fn(p)
		}
	}
}
