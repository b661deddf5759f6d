package main

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"agora/services/recommendations/internal/domain"
	"agora/services/recommendations/internal/moleculer"
	"agora/services/recommendations/internal/store"
)

// Recommender is the recommendations service: actions, events and wiring.
// The rules live in domain/, the data access in store/.
type Recommender struct {
	nodeID  string
	store   *store.Store
	model   *domain.CoPurchases
	metrics recommenderMetrics
	log     *moleculer.Logger
}

type recommenderMetrics struct {
	recorded prometheus.Counter
	known    prometheus.Gauge
	answers  *prometheus.CounterVec
}

func newRecommenderMetrics(reg prometheus.Registerer) recommenderMetrics {
	m := recommenderMetrics{
		recorded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "agora_recommendations_orders_recorded_total",
			Help: "order.confirmed events this node received and recorded",
		}),
		known: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "agora_recommendations_orders_known",
			Help: "distinct orders this node learned from (its own and other replicas')",
		}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "agora_recommendations_answers_total",
			Help: "recommendations answered, by basis (orders or category)",
		}, []string{"basis"}),
	}
	reg.MustRegister(m.recorded, m.known, m.answers)
	return m
}

// Result of recommendations.forProduct.
type Result struct {
	ProductID  string   `json:"productId"`
	ProductIDs []string `json:"productIds"`
	// Basis: "orders" (bought together) or "category" (nothing learned yet).
	Basis  string `json:"basis"`
	NodeID string `json:"nodeID"`
}

// OrderConfirmed is the part of the order.confirmed payload used here
// (contracts/orders.ts).
type OrderConfirmed struct {
	EventID string `json:"eventId"`
	OrderID string `json:"orderId"`
	Items   []struct {
		ProductID string `json:"productId"`
	} `json:"items"`
}

// NewRecommender registers the service's metrics with reg.
func NewRecommender(nodeID string, s *store.Store, reg prometheus.Registerer, log *moleculer.Logger) *Recommender {
	return &Recommender{nodeID: nodeID, store: s, model: domain.NewCoPurchases(), metrics: newRecommenderMetrics(reg), log: log.Module("recommendations")}
}

func (r *Recommender) Service() *moleculer.Service {
	return &moleculer.Service{
		Name: "recommendations",
		// As contracts/recommendations.ts declares it: readiness waits for a catalog.
		Metadata: map[string]any{"dependsOn": map[string]string{"catalog": "hard"}},
		Actions: []moleculer.Action{
			{Name: "forProduct", Params: domain.ParamsSchema, Handler: r.forProduct},
		},
		Events: []moleculer.Listener{
			// Group "recommendations": each order reaches one replica.
			{Event: "order.confirmed", Handler: r.orderConfirmed},
		},
	}
}

// Refresh learns what any replica appended to the store since last time.
func (r *Recommender) Refresh() error {
	err := r.store.Replay(func(p domain.Purchase) { r.model.Learn(p) })
	r.metrics.known.Set(float64(r.model.Orders()))
	return err
}

// RefreshLoop keeps up with the other replicas between calls.
func (r *Recommender) RefreshLoop(stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := r.Refresh(); err != nil {
				r.log.Warnf("Reading the store failed: %v", err)
			}
		}
	}
}

func (r *Recommender) forProduct(ctx context.Context, call *moleculer.Call) (any, error) {
	p, issues := domain.ParseParams(call.Params)
	if len(issues) > 0 {
		return nil, moleculer.NewValidationError(toValidation(issues))
	}
	if err := r.Refresh(); err != nil {
		return nil, moleculer.NewServerError("The recommendations store cannot be read.", "STORE_UNAVAILABLE")
	}
	result := Result{ProductID: p.ProductID, ProductIDs: []string{}, Basis: "orders", NodeID: r.nodeID}
	for _, ranked := range r.model.BoughtWith(p.ProductID, p.Limit) {
		result.ProductIDs = append(result.ProductIDs, ranked.ProductID)
	}
	if len(result.ProductIDs) == 0 {
		ids, err := r.sameCategory(ctx, call, p)
		if err != nil {
			return nil, err
		}
		result.ProductIDs, result.Basis = ids, "category"
	}
	r.metrics.answers.WithLabelValues(result.Basis).Inc()
	return result, nil
}

// CatalogProduct is the part of catalog.get's answer used here.
type CatalogProduct struct {
	ID       string `json:"id"`
	Category string `json:"category"`
}

// CatalogPage is the part of catalog.list's answer used here.
type CatalogPage struct {
	Rows []struct {
		ID string `json:"id"`
	} `json:"rows"`
}

// What this service asks the catalog; pact_test.go writes the same into its pact (pacts/recommendations-catalog.json).
func catalogGetParams(p domain.Params) map[string]any { return map[string]any{"id": p.ProductID} }

func catalogListParams(category string, p domain.Params) map[string]any {
	return map[string]any{"category": category, "pageSize": p.Limit + 1, "sort": "name"}
}

// sameCategory: nothing learned about the product, so other products of its
// category (a 404 from the catalog stays a 404).
func (r *Recommender) sameCategory(ctx context.Context, call *moleculer.Call, p domain.Params) ([]string, error) {
	var product CatalogProduct
	if err := call.Call(ctx, "catalog.get", catalogGetParams(p), &product); err != nil {
		return nil, err
	}
	var page CatalogPage
	if err := call.Call(ctx, "catalog.list", catalogListParams(product.Category, p), &page); err != nil {
		return nil, err
	}
	return othersOf(page, p), nil
}

// othersOf: the page's products but the one asked about, at most p.Limit.
func othersOf(page CatalogPage, p domain.Params) []string {
	ids := []string{}
	for _, row := range page.Rows {
		if row.ID != p.ProductID && len(ids) < p.Limit {
			ids = append(ids, row.ID)
		}
	}
	return ids
}

func (r *Recommender) orderConfirmed(_ context.Context, event *moleculer.Call) error {
	var ev OrderConfirmed
	if err := event.Bind(&ev); err != nil {
		return err
	}
	purchase := domain.Purchase{EventID: ev.EventID, OrderID: ev.OrderID}
	for _, item := range ev.Items {
		purchase.ProductIDs = append(purchase.ProductIDs, item.ProductID)
	}
	if len(purchase.ProductIDs) == 0 {
		r.log.Warnf("order.confirmed %s has no items; nothing to learn.", ev.OrderID)
		return nil
	}
	// A redelivered event is already in the store: count it once.
	if err := r.Refresh(); err != nil {
		return err
	}
	if r.model.Knows(purchase) {
		return nil
	}
	if err := r.store.Append(purchase); err != nil {
		return err
	}
	r.metrics.recorded.Inc()
	return r.Refresh()
}

func toValidation(issues []domain.Issue) []moleculer.ValidationIssue {
	out := make([]moleculer.ValidationIssue, len(issues))
	for i, is := range issues {
		out[i] = moleculer.ValidationIssue{Type: is.Type, Message: is.Message, Field: is.Field, Expected: is.Expected, Actual: is.Actual}
	}
	return out
}
