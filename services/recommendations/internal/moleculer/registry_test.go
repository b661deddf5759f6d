package moleculer

import (
	"reflect"
	"testing"
	"time"
)

func infoOf(nodeID string, services ...ServiceInfo) *Info {
	return &Info{Services: services, InstanceID: "i-" + nodeID, Client: Client{Type: "nodejs"}, Envelope: Envelope{Ver: "5", Sender: nodeID}}
}

func svc(name string, actions []string, events map[string]string) ServiceInfo {
	s := ServiceInfo{Name: name, Actions: map[string]ActionInfo{}, Events: map[string]EventInfo{}}
	for _, a := range actions {
		s.Actions[name+"."+a] = ActionInfo{Name: name + "." + a, RawName: a}
	}
	for e, g := range events {
		s.Events[e] = EventInfo{Name: e, Group: g}
	}
	return s
}

func TestRoundRobinOverNodesOfferingAnAction(t *testing.T) {
	r := NewRegistry(nil)
	r.ProcessInfo(infoOf("catalog-1", svc("catalog", []string{"list"}, nil)))
	r.ProcessInfo(infoOf("catalog-2", svc("catalog", []string{"list"}, nil)))
	r.ProcessInfo(infoOf("users-1", svc("users", []string{"get"}, nil)))
	seen := map[string]int{}
	for i := 0; i < 10; i++ {
		id, ok := r.PickActionNode("catalog.list", nil)
		if !ok {
			t.Fatal("no node for catalog.list")
		}
		seen[id]++
	}
	if !reflect.DeepEqual(seen, map[string]int{"catalog-1": 5, "catalog-2": 5}) {
		t.Errorf("balanced: %v", seen)
	}
	if id, _ := r.PickActionNode("catalog.list", map[string]bool{"catalog-1": true}); id != "catalog-2" {
		t.Errorf("a failed node is skipped: got %s", id)
	}
	if _, ok := r.PickActionNode("catalog.list", map[string]bool{"catalog-1": true, "catalog-2": true}); ok {
		t.Error("all nodes failed: none left")
	}
	if _, ok := r.PickActionNode("orders.get", nil); ok {
		t.Error("nobody offers orders.get")
	}
}

func TestSilentNodesAreDroppedAndReannounced(t *testing.T) {
	now := time.Unix(1000, 0)
	var dropped []string
	r := NewRegistry(func(id string) { dropped = append(dropped, id) })
	r.now = func() time.Time { return now }
	r.ProcessInfo(infoOf("a", svc("catalog", []string{"list"}, nil)))
	r.ProcessInfo(infoOf("b", svc("catalog", []string{"list"}, nil)))

	now = now.Add(3 * time.Second)
	if !r.Heartbeat("a") {
		t.Fatal("a is known")
	}
	now = now.Add(2 * time.Second) // b silent 5 s, a 2 s
	if got := r.CheckHeartbeats(4 * time.Second); !reflect.DeepEqual(got, []string{"b"}) {
		t.Fatalf("dropped %v, want [b]", got)
	}
	if !reflect.DeepEqual(dropped, []string{"b"}) {
		t.Errorf("pending calls of b are failed: %v", dropped)
	}
	for i := 0; i < 4; i++ {
		if id, _ := r.PickActionNode("catalog.list", nil); id != "a" {
			t.Fatalf("calls go to a only, got %s", id)
		}
	}
	if r.Heartbeat("b") {
		t.Error("a dropped node must be asked for a new INFO, not revived by a heartbeat")
	}
	if r.Heartbeat("stranger") {
		t.Error("an unknown node must be asked for its INFO")
	}
	if !r.ProcessInfo(infoOf("b", svc("catalog", []string{"list"}, nil))) {
		t.Error("b's INFO brings it back")
	}
	r.Disconnected("a")
	if r.HasService("catalog") != true || len(r.Nodes()) != 1 {
		t.Errorf("a left: %v", r.Nodes())
	}
}

func TestEmptyInfoMeansNoServices(t *testing.T) {
	r := NewRegistry(nil)
	r.ProcessInfo(infoOf("a", svc("catalog", []string{"list"}, nil)))
	r.ProcessInfo(infoOf("a")) // a stopping node announces no services
	if r.HasAction("catalog.list") {
		t.Error("a stopping node offers nothing")
	}
}

func TestEmitGoesToOneNodePerGroup(t *testing.T) {
	r := NewRegistry(nil)
	r.ProcessInfo(infoOf("rec-1", svc("recommendations", nil, map[string]string{"order.confirmed": "recommendations"})))
	r.ProcessInfo(infoOf("rec-2", svc("recommendations", nil, map[string]string{"order.confirmed": "recommendations"})))
	r.ProcessInfo(infoOf("notif-1", svc("notifications", nil, map[string]string{"order.confirmed": "notifications"})))
	perNode := map[string]int{}
	for i := 0; i < 6; i++ {
		targets := r.EventTargets("order.confirmed")
		groups := 0
		for id, gs := range targets {
			perNode[id] += len(gs)
			groups += len(gs)
		}
		if groups != 2 {
			t.Fatalf("each emit reaches each group once: %v", targets)
		}
	}
	if !reflect.DeepEqual(perNode, map[string]int{"rec-1": 3, "rec-2": 3, "notif-1": 6}) {
		t.Errorf("balanced within a group: %v", perNode)
	}
	if got := r.EventNodes("order.confirmed"); len(got) != 3 {
		t.Errorf("a broadcast reaches every listening node: %v", got)
	}
}

func TestTraceAndSpanIDsMatchTheNodeNodes(t *testing.T) {
	// platform/observability/request-context.ts traceIdOf(): sha256 start for any id ...
	if got := TraceIDOf("checkout-42"); got != "94d9658b73ffa9cc43af01051a5a5df1" {
		t.Errorf("TraceIDOf(checkout-42) = %s", got)
	}
	// ... and the id itself when it is 32 hex digits without dashes (a UUID).
	if got := TraceIDOf("0AF76519-16CD-43DD-8448-EB211C80319C"); got != "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("TraceIDOf(uuid) = %s", got)
	}
	// moleculer's Jaeger exporter: first 16 hex digits of the context id.
	if got := SpanIDOf("b5fd8766-0ea2-4c49-a3e7-46be9cff3c39"); got != "b5fd87660ea24c49" {
		t.Errorf("SpanIDOf = %s", got)
	}
}

func TestErrorsKeepMoleculersNamesAndCodes(t *testing.T) {
	cases := []struct {
		err       *Error
		name      string
		code      int
		retryable bool
	}{
		{NewValidationError(nil), "ValidationError", 422, false},
		{NewServiceNotFoundError("x.y", "n1"), "ServiceNotFoundError", 404, true},
		{NewServiceNotAvailableError("x.y", "n1"), "ServiceNotAvailableError", 404, true},
		{NewRequestTimeoutError("x.y", "n1"), "RequestTimeoutError", 504, true},
		{NewRequestRejectedError("x.y", "n1"), "RequestRejectedError", 503, true},
		{NewClientError("no", 403, "FORBIDDEN", nil), "MoleculerClientError", 403, false},
	}
	for _, c := range cases {
		if c.err.Name != c.name || c.err.Code != c.code || c.err.Retryable != c.retryable {
			t.Errorf("%+v", c.err)
		}
	}
	if m := NewServiceNotFoundError("recommendations.nope", "go-1").Message; m != "Service 'recommendations.nope' is not found on 'go-1' node." {
		t.Errorf("message: %s", m)
	}
}
