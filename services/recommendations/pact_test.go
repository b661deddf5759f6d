package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"agora/services/recommendations/internal/domain"
	"agora/services/recommendations/internal/moleculer"
	"agora/services/recommendations/internal/store"
)

// The recommendations node as a consumer of the JS services (docs/contracts.md):
// what it reads from the order.confirmed event and from catalog.get and
// catalog.list, written down as Pact v3 message pacts in the shape the JS
// consumers write (test/contracts/pact.ts): an event's message is its payload;
// an action's message is `{ result }`, its metadata names the action and the
// params this code sends. Each example is first run through this service's
// own decoding and rules, so the pact says only what the code can use.
// With PACT_DIR set (npm run pacts) the pacts are written there, and
// `npm run test:contracts` verifies them against the real JS providers.
// pact-go is not used: it needs the Pact FFI library and a module proxy,
// neither of which this build has (GOPATH mode, Debian's packages only).

// The ids and provider states the JS side knows (test/contracts/states.ts and the providers' verifications).
const (
	contractProduct = "132f2cd9f1713e80022b3801" // the first demo product, category "kitchen"
	catalogSeeded   = "the demo catalog is seeded"
	orderConfirmed  = "an order is confirmed"
)

type message struct {
	description string
	state       string
	metadata    map[string]any
	contents    any
	// JSON paths of what the code reads: each matches by type; an array path matches at least one element like the example's.
	reads  []string
	arrays []string
}

func typeRule() map[string]any {
	return map[string]any{"combine": "AND", "matchers": []any{map[string]any{"match": "type"}}}
}

func (m message) pact() map[string]any {
	rules := map[string]any{}
	for _, p := range m.reads {
		rules[p] = typeRule()
	}
	for _, p := range m.arrays {
		rules[p] = map[string]any{"combine": "AND", "matchers": []any{map[string]any{"match": "type", "min": 1}}}
	}
	metadata := map[string]any{"contentType": "application/json"}
	for k, v := range m.metadata {
		metadata[k] = v
	}
	return map[string]any{
		"description":    m.description,
		"providerStates": []any{map[string]any{"name": m.state}},
		"metadata":       metadata,
		"contents":       m.contents,
		"matchingRules":  map[string]any{"body": rules},
	}
}

func paramsJSON(t *testing.T, params map[string]any) string {
	b, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// roundTrip gives the example as it arrives: JSON on the wire.
func roundTrip(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newTestRecommender(t *testing.T) *Recommender {
	st, err := store.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	return NewRecommender("pact", st, prometheus.NewRegistry(), moleculer.NewLogger("pact", moleculer.ParseLogLevels("warn"), false))
}

func TestPactOrderConfirmed(t *testing.T) {
	payload := map[string]any{
		"eventId": "0123456789abcdef01234567:order.confirmed",
		"orderId": "0123456789abcdef01234567",
		"items":   []any{map[string]any{"productId": contractProduct}},
	}
	// The real event handler learns the order from the example.
	r := newTestRecommender(t)
	if err := r.orderConfirmed(context.Background(), &moleculer.Call{Name: "order.confirmed", Params: roundTrip(t, payload)}); err != nil {
		t.Fatalf("order.confirmed example refused: %v", err)
	}
	if r.model.Orders() != 1 {
		t.Fatalf("order.confirmed example not learned: %d orders known", r.model.Orders())
	}
	writePact(t, "orders-events", message{
		description: "order.confirmed carries the products bought together",
		state:       orderConfirmed,
		metadata:    map[string]any{"event": "order.confirmed"},
		contents:    payload,
		reads:       []string{"$.eventId", "$.orderId", "$.items[*].productId"},
		arrays:      []string{"$.items"},
	})
}

func TestPactCatalog(t *testing.T) {
	p := domain.Params{ProductID: contractProduct, Limit: 3}
	product := map[string]any{"id": contractProduct, "category": "kitchen"}
	page := map[string]any{"rows": []any{map[string]any{"id": "0123456789abcdef01234567"}}}

	// This service's own decoding and rules on the examples.
	var decoded CatalogProduct
	if err := json.Unmarshal(roundTrip(t, product), &decoded); err != nil || decoded.ID == "" || decoded.Category == "" {
		t.Fatalf("catalog.get example not usable: %+v %v", decoded, err)
	}
	var rows CatalogPage
	if err := json.Unmarshal(roundTrip(t, page), &rows); err != nil {
		t.Fatal(err)
	}
	if got := othersOf(rows, p); !reflect.DeepEqual(got, []string{"0123456789abcdef01234567"}) {
		t.Fatalf("catalog.list example gave %v", got)
	}

	writePact(t, "catalog",
		message{
			description: "catalog.get answers a product's category",
			state:       catalogSeeded,
			metadata:    map[string]any{"action": "catalog.get", "params": paramsJSON(t, catalogGetParams(p))},
			contents:    map[string]any{"result": product},
			reads:       []string{"$.result.id", "$.result.category"},
		},
		message{
			description: "catalog.list answers the products of a category",
			state:       catalogSeeded,
			metadata: map[string]any{
				"action": "catalog.list",
				"params": paramsJSON(t, catalogListParams(decoded.Category, p)),
			},
			contents: map[string]any{"result": page},
			reads:    []string{"$.result.rows[*].id"},
			arrays:   []string{"$.result.rows"},
		},
	)
}

// writePact writes pacts/recommendations-<provider>.json when PACT_DIR is set.
func writePact(t *testing.T, provider string, messages ...message) {
	dir := os.Getenv("PACT_DIR")
	if dir == "" {
		return
	}
	list := make([]any, len(messages))
	for i, m := range messages {
		list[i] = m.pact()
	}
	doc := map[string]any{
		"consumer": map[string]any{"name": "recommendations"},
		"provider": map[string]any{"name": provider},
		"messages": list,
		"metadata": map[string]any{
			"pactSpecification": map[string]any{"version": "3.0.0"},
			"agora":             map[string]any{"writtenBy": "services/recommendations/pact_test.go"},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "recommendations-"+provider+".json"), append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
