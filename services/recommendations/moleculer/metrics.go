package moleculer

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// Metrics counts calls and events under the names moleculer's Prometheus
// reporter uses (moleculer_request_total{action=...} and so on), so one
// dashboard and one query cover Node and Go nodes. Values are written in the
// Prometheus text format.
type Metrics struct {
	mu     sync.Mutex
	help   map[string]string
	kinds  map[string]string
	values map[string]map[string]float64 // metric → rendered labels → value
}

func NewMetrics() *Metrics {
	return &Metrics{help: map[string]string{}, kinds: map[string]string{}, values: map[string]map[string]float64{}}
}

// Declare names a metric: kind is "counter" or "gauge".
func (m *Metrics) Declare(name, kind, help string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.help[name], m.kinds[name] = help, kind
	if m.values[name] == nil {
		m.values[name] = map[string]float64{}
	}
}

// Add adds delta to a metric with the labels given as name, value pairs.
func (m *Metrics) Add(name string, delta float64, labels ...string) {
	key := renderLabels(labels)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.values[name] == nil {
		m.values[name] = map[string]float64{}
	}
	m.values[name][key] += delta
}

// Set sets a gauge.
func (m *Metrics) Set(name string, value float64, labels ...string) {
	key := renderLabels(labels)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.values[name] == nil {
		m.values[name] = map[string]float64{}
	}
	m.values[name][key] = value
}

// WriteText writes every metric in the Prometheus text format.
func (m *Metrics) WriteText(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	names := make([]string, 0, len(m.values))
	for name := range m.values {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if h := m.help[name]; h != "" {
			fmt.Fprintf(w, "# HELP %s %s\n", name, h)
		}
		if k := m.kinds[name]; k != "" {
			fmt.Fprintf(w, "# TYPE %s %s\n", name, k)
		}
		keys := make([]string, 0, len(m.values[name]))
		for k := range m.values[name] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "%s%s %g\n", name, k, m.values[name][k])
		}
	}
}

func renderLabels(pairs []string) string {
	if len(pairs) == 0 {
		return ""
	}
	parts := make([]string, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		v := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(pairs[i+1])
		parts = append(parts, fmt.Sprintf(`%s="%s"`, pairs[i], v))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// MetricsObserver counts each action call and event delivery.
type MetricsObserver struct{ M *Metrics }

func NewMetricsObserver(m *Metrics) *MetricsObserver {
	m.Declare("moleculer_request_total", "counter", "Number of requests")
	m.Declare("moleculer_request_active", "gauge", "Number of active requests")
	m.Declare("moleculer_request_error_total", "counter", "Number of request errors")
	m.Declare("moleculer_event_received_total", "counter", "Number of received events")
	m.Declare("moleculer_event_received_error_total", "counter", "Number of failed event handlers")
	return &MetricsObserver{M: m}
}

func (o *MetricsObserver) ActionStarted(ctx *Context) func(error) {
	svc := serviceOf(ctx.Name)
	o.M.Add("moleculer_request_total", 1, "service", svc, "action", ctx.Name, "caller", ctx.Caller, "type", "remote")
	o.M.Add("moleculer_request_active", 1, "service", svc, "action", ctx.Name)
	return func(err error) {
		o.M.Add("moleculer_request_active", -1, "service", svc, "action", ctx.Name)
		if err != nil {
			e := AsError(err)
			o.M.Add("moleculer_request_error_total", 1, "service", svc, "action", ctx.Name, "errorName", e.Name, "errorCode", fmt.Sprint(e.Code), "errorType", e.Type)
		}
	}
}

func (o *MetricsObserver) EventStarted(ctx *Context, group string) func(error) {
	o.M.Add("moleculer_event_received_total", 1, "event", ctx.Name, "group", group)
	return func(err error) {
		if err != nil {
			o.M.Add("moleculer_event_received_error_total", 1, "event", ctx.Name, "group", group)
		}
	}
}

// Observers combines several observers into one.
type Observers []Observer

func (os Observers) ActionStarted(ctx *Context) func(error) {
	ends := make([]func(error), 0, len(os))
	for _, o := range os {
		ends = append(ends, o.ActionStarted(ctx))
	}
	return func(err error) {
		for _, end := range ends {
			end(err)
		}
	}
}

func (os Observers) EventStarted(ctx *Context, group string) func(error) {
	ends := make([]func(error), 0, len(os))
	for _, o := range os {
		ends = append(ends, o.EventStarted(ctx, group))
	}
	return func(err error) {
		for _, end := range ends {
			end(err)
		}
	}
}
