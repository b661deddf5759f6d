package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"agora/services/recommendations/internal/moleculer"
)

// Config is read from the same environment variables as the Node nodes
// (README, Configuration), so one env file configures every node.
type Config struct {
	NodeID            string
	Namespace         string
	Nats              moleculer.NatsOptions
	LogLevels         moleculer.LogLevels
	LogJSON           bool
	HeartbeatInterval time.Duration
	HeartbeatTimeout  time.Duration
	RequestTimeout    time.Duration
	ShutdownTimeout   time.Duration
	DataDir           string
	HealthPort        int
	MetricsPort       int
	JaegerEndpoint    string
}

type env struct{ errs []string }

func (e *env) str(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}

func (e *env) int(name string, def int) int {
	v := strings.TrimSpace(os.Getenv(name))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		e.errs = append(e.errs, fmt.Sprintf("%s must be a whole number ≥ 0, got %q", name, v))
		return def
	}
	return n
}

func loadConfig() (Config, error) {
	e := &env{}
	production := os.Getenv("NODE_ENV") == "production"
	host, _ := os.Hostname()
	c := Config{
		NodeID:            e.str("NODE_ID", fmt.Sprintf("%s-%d", host, os.Getpid())),
		Namespace:         e.str("NAMESPACE", "agora"),
		LogLevels:         moleculer.ParseLogLevels(e.str("LOGLEVEL", "info")),
		LogJSON:           e.str("LOG_FORMAT", map[bool]string{true: "json", false: "short"}[production]) == "json",
		HeartbeatInterval: time.Duration(e.int("HEARTBEAT_INTERVAL", 10)) * time.Second,
		HeartbeatTimeout:  time.Duration(e.int("HEARTBEAT_TIMEOUT", 30)) * time.Second,
		RequestTimeout:    time.Duration(e.int("REQUEST_TIMEOUT", 10_000)) * time.Millisecond,
		ShutdownTimeout:   time.Duration(e.int("SHUTDOWN_TIMEOUT", 10_000)) * time.Millisecond,
		DataDir:           e.str("DATA_DIR", "./data"),
		HealthPort:        e.int("HEALTH_PORT", map[bool]int{true: 3001, false: 0}[production]),
		MetricsPort:       e.int("METRICS_PORT", map[bool]int{true: 3030, false: 0}[production]),
		JaegerEndpoint:    e.str("JAEGER_ENDPOINT", ""),
	}
	if e.str("METRICS", "true") == "false" {
		c.MetricsPort = 0
	}
	c.Nats = moleculer.NatsOptions{
		ReconnectWait: time.Duration(e.int("NATS_RECONNECT_WAIT", 1000)) * time.Millisecond,
		PingInterval:  time.Duration(e.int("NATS_PING_INTERVAL", 20_000)) * time.Millisecond,
		User:          os.Getenv("NATS_USER"),
		Password:      os.Getenv("NATS_PASSWORD"),
		Token:         os.Getenv("NATS_TOKEN"),
	}
	transporter := e.str("TRANSPORTER", "")
	if transporter == "" {
		e.errs = append(e.errs, "TRANSPORTER is required (e.g. nats://127.0.0.1:4222): a Go node joins the cluster over NATS")
	}
	for _, raw := range strings.Split(transporter, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || u.Scheme != "nats" || u.Host == "" {
			e.errs = append(e.errs, fmt.Sprintf("TRANSPORTER must be nats://host:port (comma list for several servers), got %q", raw))
			continue
		}
		// Credentials in the URL still work; the variables win.
		if c.Nats.User == "" && u.User != nil {
			c.Nats.User = u.User.Username()
			c.Nats.Password, _ = u.User.Password()
		}
		c.Nats.Servers = append(c.Nats.Servers, "nats://"+u.Host)
	}
	if c.HeartbeatInterval <= 0 || c.HeartbeatTimeout <= c.HeartbeatInterval {
		e.errs = append(e.errs, "HEARTBEAT_TIMEOUT must be longer than HEARTBEAT_INTERVAL (seconds, > 0)")
	}
	if c.RequestTimeout <= 0 {
		e.errs = append(e.errs, "REQUEST_TIMEOUT must be > 0 ms")
	}
	if len(e.errs) > 0 {
		return c, fmt.Errorf("invalid configuration:\n  %s", strings.Join(e.errs, "\n  "))
	}
	return c, nil
}
