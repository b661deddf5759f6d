package moleculer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Go nodes talking to each other over a real nats-server (Debian's
// nats-server package; .ci/run installs it), exactly as over the wire to
// Node nodes: the packets are the ones the fixture tests check.

func startNats(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("nats-server", "-a", "127.0.0.1", "-p", fmt.Sprint(port))
	out, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatalf("nats-server is needed for these tests (apt-get install nats-server): %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		buf := make([]byte, 4096)
		seen := ""
		for {
			n, err := out.Read(buf)
			seen += string(buf[:n])
			if strings.Contains(seen, "Server is ready") {
				close(ready)
				_, _ = io.Copy(io.Discard, out)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("nats-server did not start")
	}
	return fmt.Sprintf("nats://127.0.0.1:%d", port)
}

func testBroker(t *testing.T, url, nodeID string, services ...*Service) *Broker {
	t.Helper()
	b := NewBroker(Options{
		NodeID: nodeID, Namespace: "gotest", Nats: NatsOptions{Servers: []string{url}, ReconnectWait: 100 * time.Millisecond, PingInterval: time.Second},
		HeartbeatInterval: 500 * time.Millisecond, HeartbeatTimeout: 2 * time.Second, RequestTimeout: 2 * time.Second,
		Retries: 2, ShutdownTimeout: 2 * time.Second,
		Logger: NewLogger(nodeID, ParseLogLevels("warn"), false),
	})
	for _, s := range services {
		b.AddService(s)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	return b
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type seenCall struct {
	node, requestID, parentID, caller string
	level                             int
	tracing                           bool
	meta                              map[string]any
}

// slowEnded: why greeter.slow's context ended, when it ended before the handler.
var slowEnded = make(chan error, 100)

func greeter(node string, calls chan<- seenCall, events *int64) *Service {
	return &Service{
		Name: "greeter",
		Actions: []Action{
			{Name: "hello", Handler: func(_ context.Context, call *Call) (any, error) {
				var p struct{ Name string }
				if err := call.Bind(&p); err != nil || p.Name == "" {
					return nil, NewValidationError([]ValidationIssue{{Type: "required", Field: "name", Message: "The 'name' field is required."}})
				}
				if calls != nil {
					calls <- seenCall{node, call.RequestID, call.ParentID, call.Caller, call.Level, call.Tracing, call.Meta}
				}
				return map[string]string{"message": "Hello " + p.Name, "node": node}, nil
			}},
			{Name: "slow", Handler: func(ctx context.Context, _ *Call) (any, error) {
				select {
				case <-time.After(3 * time.Second):
					return "late", nil
				case <-ctx.Done():
					// The caller stopped waiting: so does the handler.
					slowEnded <- ctx.Err()
					return nil, ctx.Err()
				}
			}},
		},
		Events: []Listener{{Event: "order.confirmed", Handler: func(context.Context, *Call) error {
			atomic.AddInt64(events, 1)
			return nil
		}}},
	}
}

func TestCallsEventsAndLeavingOverNats(t *testing.T) {
	url := startNats(t)
	calls := make(chan seenCall, 100)
	var eventsA, eventsB int64
	a := testBroker(t, url, "go-a", greeter("go-a", calls, &eventsA))
	b := testBroker(t, url, "go-b", greeter("go-b", calls, &eventsB))
	relayCalls := make(chan seenCall, 10)
	caller := testBroker(t, url, "go-caller", &Service{Name: "relay", Actions: []Action{{Name: "hello", Handler: func(ctx context.Context, call *Call) (any, error) {
		var out map[string]string
		err := call.Call(ctx, "greeter.hello", map[string]string{"name": "Grace"}, &out)
		relayCalls <- seenCall{node: out["node"], requestID: call.RequestID}
		return out, err
	}}}})
	waitFor(t, "both greeters known", func() bool {
		return len(caller.Registry().actionNodesLocked("greeter.hello")) == 2
	})

	t.Run("calls are balanced round robin and answered", func(t *testing.T) {
		perNode := map[string]int{}
		for i := 0; i < 10; i++ {
			data, err := caller.Call(context.Background(), "greeter.hello", map[string]string{"name": "Ada"}, CallOptions{Meta: map[string]any{"user": "u1"}})
			if err != nil {
				t.Fatal(err)
			}
			var out map[string]string
			_ = json.Unmarshal(data, &out)
			if out["message"] != "Hello Ada" {
				t.Fatalf("answer: %s", data)
			}
			perNode[out["node"]]++
			if c := <-calls; c.meta["user"] != "u1" || c.level != 1 || c.requestID == "" {
				t.Errorf("context: %+v", c)
			}
		}
		if perNode["go-a"] != 5 || perNode["go-b"] != 5 {
			t.Errorf("balanced: %v", perNode)
		}
	})

	t.Run("a call made inside an action carries the request id, parent and level", func(t *testing.T) {
		if _, err := a.Call(context.Background(), "relay.hello", map[string]any{}, CallOptions{RequestID: "req-42", Tracing: true}); err != nil {
			t.Fatal(err)
		}
		relay := <-relayCalls
		inner := <-calls
		if relay.requestID != "req-42" || inner.requestID != "req-42" || inner.level != 2 || inner.caller != "relay" || !inner.tracing || inner.parentID == "" {
			t.Errorf("relay %+v, inner %+v", relay, inner)
		}
	})

	t.Run("errors keep Moleculer's shape", func(t *testing.T) {
		_, err := caller.Call(context.Background(), "greeter.hello", map[string]string{}, CallOptions{})
		var e *Error
		if !errors.As(err, &e) || e.Name != "ValidationError" || e.Code != 422 || e.NodeID == "" {
			t.Errorf("validation: %#v", err)
		}
		_, err = caller.Call(context.Background(), "greeter.nope", nil, CallOptions{})
		if !errors.As(err, &e) || e.Name != "ServiceNotFoundError" || e.Code != 404 {
			t.Errorf("unknown action: %#v", err)
		}
		_, err = caller.Call(context.Background(), "greeter.slow", nil, CallOptions{Timeout: 300 * time.Millisecond})
		if !errors.As(err, &e) || e.Name != "RequestTimeoutError" || e.Code != 504 {
			t.Errorf("timeout: %#v", err)
		}
	})

	t.Run("the handler's context ends when its caller stops waiting", func(t *testing.T) {
		for len(slowEnded) > 0 {
			<-slowEnded
		}
		started := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := caller.Call(ctx, "greeter.slow", nil, CallOptions{})
		var e *Error
		if !errors.As(err, &e) || e.Name != "RequestTimeoutError" {
			t.Errorf("past the caller's deadline: %#v", err)
		}
		select {
		case why := <-slowEnded:
			if !errors.Is(why, context.DeadlineExceeded) || time.Since(started) > 2*time.Second {
				t.Errorf("the handler's context ended with %v after %s", why, time.Since(started))
			}
		case <-time.After(2 * time.Second):
			t.Error("the handler's context outlived the caller's deadline")
		}

		ctx, cancel = context.WithCancel(context.Background())
		time.AfterFunc(200*time.Millisecond, cancel)
		started = time.Now()
		_, err = caller.Call(ctx, "greeter.slow", nil, CallOptions{})
		if !errors.As(err, &e) || e.Name != "RequestRejectedError" || e.Retryable || time.Since(started) > 2*time.Second {
			t.Errorf("a cancelled call: %#v after %s", err, time.Since(started))
		}
	})

	t.Run("an emitted event reaches one replica of the group; a broadcast reaches all", func(t *testing.T) {
		before := atomic.LoadInt64(&eventsA) + atomic.LoadInt64(&eventsB)
		for i := 0; i < 10; i++ {
			if err := caller.Emit("order.confirmed", map[string]int{"n": i}); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "10 events", func() bool { return atomic.LoadInt64(&eventsA)+atomic.LoadInt64(&eventsB)-before == 10 })
		time.Sleep(200 * time.Millisecond)
		if total := atomic.LoadInt64(&eventsA) + atomic.LoadInt64(&eventsB) - before; total != 10 {
			t.Errorf("each event once: %d deliveries", total)
		}
		if atomic.LoadInt64(&eventsA) == 0 || atomic.LoadInt64(&eventsB) == 0 {
			t.Errorf("both replicas get some: %d / %d", eventsA, eventsB)
		}
		before = atomic.LoadInt64(&eventsA) + atomic.LoadInt64(&eventsB)
		_ = caller.Broadcast("order.confirmed", nil)
		waitFor(t, "broadcast to both", func() bool { return atomic.LoadInt64(&eventsA)+atomic.LoadInt64(&eventsB)-before == 2 })
	})

	t.Run("a node that vanishes is dropped after the heartbeat timeout; its calls go elsewhere", func(t *testing.T) {
		// A crash: no DISCONNECT, the connection just ends.
		b.stopping.Store(true)
		close(b.stop)
		b.beating.Wait()
		b.transport.conn.Close()
		var wg sync.WaitGroup
		var failed int64
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := caller.Call(context.Background(), "greeter.hello", map[string]string{"name": "x"}, CallOptions{}); err != nil {
					atomic.AddInt64(&failed, 1)
				}
			}()
		}
		wg.Wait()
		if failed != 0 {
			t.Errorf("%d calls failed; a timeout on the dead node is retried on the other", failed)
		}
		waitFor(t, "go-b dropped", func() bool { return len(caller.Registry().actionNodesLocked("greeter.hello")) == 1 })
	})

	t.Run("Stop says goodbye: the others forget the node at once", func(t *testing.T) {
		a.Stop()
		// First its empty INFO (no more calls routed there), then DISCONNECT (forgotten).
		waitFor(t, "go-a forgotten", func() bool {
			for _, n := range caller.Registry().Nodes() {
				if n.ID == "go-a" {
					return false
				}
			}
			return true
		})
		if caller.Registry().HasService("greeter") {
			t.Error("no greeter is left")
		}
	})
}
