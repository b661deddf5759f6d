package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"agora/services/recommendations/internal/moleculer"
)

// Probes answer like the Node nodes' (platform/observability/health.ts):
// /healthz while the process answers, /readyz when the node has joined, NATS
// is reachable, the store reads and the catalog has an instance somewhere.
type Probes struct {
	broker  *moleculer.Broker
	rec     *Recommender
	started time.Time
	rate    *rateMeter
}

// Dependencies: services recommendations calls on its main path.
var dependencies = []string{"catalog"}

type readiness struct {
	Status  string                 `json:"status"`
	NodeID  string                 `json:"nodeID"`
	Failing []string               `json:"failing"`
	Checks  map[string]checkResult `json:"checks"`
}

type checkResult struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

func (p *Probes) readiness() readiness {
	checks := map[string]checkResult{
		"broker":      {OK: p.broker.Started()},
		"transporter": {OK: p.broker.Connected()},
	}
	if err := p.rec.Refresh(); err != nil {
		checks["store:recommendations"] = checkResult{OK: false, Error: err.Error()}
	} else {
		checks["store:recommendations"] = checkResult{OK: true}
	}
	for _, svc := range dependencies {
		checks["service:"+svc] = checkResult{OK: p.broker.Registry().HasService(svc)}
	}
	r := readiness{Status: "ok", NodeID: p.broker.NodeID(), Failing: []string{}, Checks: checks}
	for name, c := range checks {
		if !c.OK {
			r.Failing = append(r.Failing, name)
		}
	}
	if len(r.Failing) > 0 {
		r.Status = "unavailable"
	}
	return r
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// HealthHandler serves /healthz and /readyz.
func (p *Probes) HealthHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 200, map[string]any{"status": "ok", "nodeID": p.broker.NodeID(), "uptime": int(time.Since(p.started).Seconds())})
	})
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, _ *http.Request) {
		r := p.readiness()
		status := 200
		if r.Status != "ok" {
			status = 503
		}
		writeJSON(w, status, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, 404, map[string]string{"status": "not found"})
	})
	return mux
}

// RegisterRuntimeMetrics adds the three process figures the dashboards read,
// under the Prometheus client's standard names, read at each scrape. Not the
// client's Go and process collectors: they expose some fifty more series.
func RegisterRuntimeMetrics(reg prometheus.Registerer) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "process_resident_memory_bytes", Help: "Resident memory size in bytes."},
			func() float64 { return float64(rssBytes()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "go_goroutines", Help: "Number of goroutines that currently exist."},
			func() float64 { return float64(runtime.NumGoroutine()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "go_memstats_heap_alloc_bytes", Help: "Number of heap bytes allocated and still in use."},
			func() float64 {
				var mem runtime.MemStats
				runtime.ReadMemStats(&mem)
				return float64(mem.HeapAlloc)
			}),
	)
}

// MetricsHandler serves /metrics: reg's metrics in the Prometheus text format.
func MetricsHandler(reg prometheus.Gatherer) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

// Serve listens on port (0: off) and serves h until the process ends.
func Serve(port int, h http.Handler, log *moleculer.Logger, what string) error {
	if port == 0 {
		return nil
	}
	ln, err := net.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		return err
	}
	log.Infof("%s on :%d", what, port)
	go func() { _ = http.Serve(ln, h) }()
	return nil
}

// NodeService is the Go side of the $node service the gateway's /status page
// asks every node for ($node.observe).
func (p *Probes) NodeService() *moleculer.Service {
	return &moleculer.Service{
		Name: "$node",
		Actions: []moleculer.Action{{Name: "observe", Handler: func(context.Context, *moleculer.Call) (any, error) {
			return map[string]any{
				"nodeID":      p.broker.NodeID(),
				"readiness":   p.readiness(),
				"requestRate": p.rate.perSecond(),
				"uptime":      int(time.Since(p.started).Seconds()),
				"memoryMB":    rssBytes() / 1048576,
				"cpuPercent":  0,
			}, nil
		}}},
	}
}

// rateMeter: action calls per second over the last 10 s (for /status).
type rateMeter struct {
	mu    sync.Mutex
	times []time.Time
}

func (r *rateMeter) ActionStarted(*moleculer.Call) func(error) {
	r.mu.Lock()
	r.times = append(r.times, time.Now())
	r.mu.Unlock()
	return func(error) {}
}

func (r *rateMeter) EventStarted(*moleculer.Call, string) func(error) { return func(error) {} }

func (r *rateMeter) perSecond() float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	cutoff := time.Now().Add(-10 * time.Second)
	i := 0
	for i < len(r.times) && r.times[i].Before(cutoff) {
		i++
	}
	r.times = r.times[i:]
	return float64(len(r.times)) / 10
}

func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * int64(os.Getpagesize())
}
