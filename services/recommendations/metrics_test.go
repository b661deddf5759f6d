package main

import (
	"context"
	"io"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"agora/services/recommendations/internal/moleculer"
	"agora/services/recommendations/internal/store"
)

// /metrics as Prometheus, Grafana (docker/grafana) and the cluster tests
// (test/cluster/recommendations-go.test.ts) read it: the names and labels of
// moleculer's own reporter, so one query covers Node and Go nodes, plus the
// service's and the process's figures. Nothing more, nothing renamed. A
// labelled metric shows up once it has a value: the client prints no HELP or
// TYPE for an empty family (the hand-written exposition before it did).
func TestMetricsExposition(t *testing.T) {
	reg := prometheus.NewRegistry()
	RegisterRuntimeMetrics(reg)
	st, err := store.Open(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	rec := NewRecommender("go-1", st, reg, moleculer.NewLogger("go-1", moleculer.ParseLogLevels("warn"), false))
	observer := moleculer.NewMetricsObserver(reg)

	call := &moleculer.Call{Name: "recommendations.forProduct", Caller: "api"}
	observer.ActionStarted(call)(nil)
	observer.ActionStarted(call)(moleculer.NewValidationError(nil))
	running := observer.ActionStarted(call) // still in flight at the scrape
	defer running(nil)
	event := &moleculer.Call{Name: "order.confirmed", Params: []byte(`{"eventId":"e1","orderId":"o1","items":[{"productId":"aaaaaaaaaaaaaaaaaaaaaaa1"},{"productId":"aaaaaaaaaaaaaaaaaaaaaaa2"}]}`)}
	observer.EventStarted(event, "recommendations")(nil)
	observer.EventStarted(event, "recommendations")(moleculer.NewServerError("store down", "STORE_UNAVAILABLE"))
	if err := rec.orderConfirmed(context.Background(), event); err != nil {
		t.Fatal(err)
	}
	if _, err := rec.forProduct(context.Background(), &moleculer.Call{Params: []byte(`{"productId":"aaaaaaaaaaaaaaaaaaaaaaa1"}`)}); err != nil {
		t.Fatal(err)
	}

	res := httptest.NewRecorder()
	MetricsHandler(reg).ServeHTTP(res, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(res.Body)
	text := string(body)
	if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}

	for _, line := range []string{
		"# HELP moleculer_request_total Number of requests",
		"# TYPE moleculer_request_total counter",
		`moleculer_request_total{action="recommendations.forProduct",caller="api",service="recommendations",type="remote"} 3`,
		"# TYPE moleculer_request_active gauge",
		`moleculer_request_active{action="recommendations.forProduct",service="recommendations"} 1`,
		"# TYPE moleculer_request_error_total counter",
		`moleculer_request_error_total{action="recommendations.forProduct",errorCode="422",errorName="ValidationError",errorType="VALIDATION_ERROR",service="recommendations"} 1`,
		"# TYPE moleculer_event_received_total counter",
		`moleculer_event_received_total{event="order.confirmed",group="recommendations"} 2`,
		"# TYPE moleculer_event_received_error_total counter",
		`moleculer_event_received_error_total{event="order.confirmed",group="recommendations"} 1`,
		"# HELP agora_recommendations_orders_recorded_total order.confirmed events this node received and recorded",
		"agora_recommendations_orders_recorded_total 1",
		"# TYPE agora_recommendations_orders_known gauge",
		"agora_recommendations_orders_known 1",
		`agora_recommendations_answers_total{basis="orders"} 1`,
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("missing %q", line)
		}
	}

	var names []string
	for _, m := range regexp.MustCompile(`(?m)^# TYPE (\S+) `).FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	sort.Strings(names)
	want := []string{
		"agora_recommendations_answers_total", "agora_recommendations_orders_known", "agora_recommendations_orders_recorded_total",
		"go_goroutines", "go_memstats_heap_alloc_bytes",
		"moleculer_event_received_error_total", "moleculer_event_received_total",
		"moleculer_request_active", "moleculer_request_error_total", "moleculer_request_total",
		"process_resident_memory_bytes",
	}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("metric families:\n got  %v\n want %v\n%s", names, want, text)
	}
	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "process_resident_memory_bytes"} {
		if !regexp.MustCompile(`(?m)^` + name + ` [1-9]`).MatchString(text) {
			t.Errorf("%s has no positive value", name)
		}
	}
}
