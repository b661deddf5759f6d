// Command recommendations is Agora's recommendations service, written in Go:
// a Moleculer node (protocol v5 over NATS) that the Node.js nodes discover,
// call, balance over and trace like any other. See README, "Polyglot".
package main

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"agora/services/recommendations/internal/moleculer"
	"agora/services/recommendations/internal/store"
)

func main() {
	// `recommendations probe`: exit 0 when this node's /readyz answers 200, for
	// an image's HEALTHCHECK without curl or a shell.
	if len(os.Args) > 1 && os.Args[1] == "probe" {
		os.Exit(probe())
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "recommendations:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	logger := moleculer.NewLogger(cfg.NodeID, cfg.LogLevels, cfg.LogJSON)
	log := logger.Module("recommendations")

	st, err := store.Open(cfg.DataDir)
	if err != nil {
		return fmt.Errorf("opening the store in %s: %w", cfg.DataDir, err)
	}
	metrics := prometheus.NewRegistry()
	RegisterRuntimeMetrics(metrics)
	rec := NewRecommender(cfg.NodeID, st, metrics, logger)
	if err := rec.Refresh(); err != nil {
		return fmt.Errorf("reading the store: %w", err)
	}

	rate := &rateMeter{}
	observers := moleculer.Observers{moleculer.NewMetricsObserver(metrics), rate}
	var jaeger *moleculer.JaegerExporter
	if cfg.JaegerEndpoint != "" {
		jaeger = moleculer.NewJaegerExporter(cfg.JaegerEndpoint, "recommendations", cfg.NodeID, logger)
		observers = append(observers, &moleculer.Tracer{NodeID: cfg.NodeID, Exporter: jaeger})
	}

	broker := moleculer.NewBroker(moleculer.Options{
		NodeID:            cfg.NodeID,
		Namespace:         cfg.Namespace,
		Nats:              cfg.Nats,
		HeartbeatInterval: cfg.HeartbeatInterval,
		HeartbeatTimeout:  cfg.HeartbeatTimeout,
		RequestTimeout:    cfg.RequestTimeout,
		Retries:           2,
		ShutdownTimeout:   cfg.ShutdownTimeout,
		Logger:            logger,
		Observer:          observers,
	})
	probes := &Probes{broker: broker, rec: rec, started: time.Now(), rate: rate}
	broker.AddService(rec.Service())
	broker.AddService(probes.NodeService())

	if err := Serve(cfg.HealthPort, probes.HealthHandler(), log, "Health probes (/healthz, /readyz)"); err != nil {
		return fmt.Errorf("HEALTH_PORT %d: %w", cfg.HealthPort, err)
	}
	if err := Serve(cfg.MetricsPort, MetricsHandler(metrics), log, "Prometheus metrics (/metrics)"); err != nil {
		return fmt.Errorf("METRICS_PORT %d: %w", cfg.MetricsPort, err)
	}
	if st.Path() != "" {
		log.Infof("Store: %s (%d orders learned)", st.Path(), rec.model.Orders())
	} else {
		log.Infof("Store: in memory (DATA_DIR=:memory:)")
	}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	if err := broker.Start(); err != nil {
		return err
	}
	stop := make(chan struct{})
	go rec.RefreshLoop(stop)

	sig := <-signals
	log.Infof("%s received; leaving the cluster.", sig)
	close(stop)
	broker.Stop()
	if jaeger != nil {
		jaeger.Close()
	}
	return nil
}

func probe() int {
	port := os.Getenv("HEALTH_PORT")
	if port == "" || port == "0" {
		fmt.Fprintln(os.Stderr, "probe: HEALTH_PORT is not set")
		return 1
	}
	client := http.Client{Timeout: 3 * time.Second}
	res, err := client.Get("http://127.0.0.1:" + port + "/readyz")
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		return 1
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
