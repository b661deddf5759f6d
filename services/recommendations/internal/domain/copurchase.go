// Package domain holds the rules of recommendations as plain code: what an
// order teaches, how products rank, what a valid request is. No broker, no
// store; tested on its own.
package domain

import (
	"sort"
	"sync"
)

// Purchase is what an order.confirmed event teaches: these products were
// bought together. EventID makes learning idempotent.
type Purchase struct {
	EventID    string   `json:"eventId"`
	OrderID    string   `json:"orderId"`
	ProductIDs []string `json:"productIds"`
}

// CoPurchases counts, for each pair of products, the orders that contained
// both. Safe for concurrent use.
type CoPurchases struct {
	mu     sync.RWMutex
	counts map[string]map[string]int
	seen   map[string]bool
}

func NewCoPurchases() *CoPurchases {
	return &CoPurchases{counts: map[string]map[string]int{}, seen: map[string]bool{}}
}

// Learn counts an order once, however often its event is delivered.
// It answers false for an event already learned.
func (c *CoPurchases) Learn(p Purchase) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := keyOf(p)
	if c.seen[key] {
		return false
	}
	c.seen[key] = true
	ids := distinct(p.ProductIDs)
	for _, a := range ids {
		for _, b := range ids {
			if a == b {
				continue
			}
			if c.counts[a] == nil {
				c.counts[a] = map[string]int{}
			}
			c.counts[a][b]++
		}
	}
	return true
}

// Knows reports whether an order's event was learned already.
func (c *CoPurchases) Knows(p Purchase) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.seen[keyOf(p)]
}

func keyOf(p Purchase) string {
	if p.EventID != "" {
		return p.EventID
	}
	return p.OrderID
}

// Orders is how many distinct orders were learned.
func (c *CoPurchases) Orders() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.seen)
}

// Ranked is a product and how many orders it shared with the asked one.
type Ranked struct {
	ProductID string `json:"productId"`
	Orders    int    `json:"orders"`
}

// BoughtWith ranks the products bought together with productID: most
// shared orders first, ties by id so every replica answers the same.
func (c *CoPurchases) BoughtWith(productID string, limit int) []Ranked {
	c.mu.RLock()
	ranked := make([]Ranked, 0, len(c.counts[productID]))
	for id, n := range c.counts[productID] {
		ranked = append(ranked, Ranked{id, n})
	}
	c.mu.RUnlock()
	sort.Slice(ranked, func(i, j int) bool {
		if ranked[i].Orders != ranked[j].Orders {
			return ranked[i].Orders > ranked[j].Orders
		}
		return ranked[i].ProductID < ranked[j].ProductID
	})
	if len(ranked) > limit {
		ranked = ranked[:limit]
	}
	return ranked
}

func distinct(ids []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
