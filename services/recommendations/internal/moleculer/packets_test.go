package moleculer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

// The fixtures are packets a real moleculer 0.15 node published on NATS
// (scripts/capture-moleculer-packets.ts), byte for byte.

type fixtureIndex struct {
	Moleculer string            `json:"moleculer"`
	Protocol  string            `json:"protocol"`
	Namespace string            `json:"namespace"`
	Subjects  map[string]string `json:"subjects"`
}

func loadIndex(t *testing.T) fixtureIndex {
	t.Helper()
	var idx fixtureIndex
	data, err := os.ReadFile(filepath.Join("testdata", "subjects.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &idx); err != nil {
		t.Fatal(err)
	}
	return idx
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func generic(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

var fixtureTypes = map[string]PacketType{
	"discover": PacketDiscover, "info": PacketInfo, "heartbeat": PacketHeartbeat,
	"request": PacketRequest, "request-nested": PacketRequest,
	"response-success": PacketResponse, "response-validation-error": PacketResponse, "response-client-error": PacketResponse,
	"event-balanced": PacketEvent, "event-broadcast": PacketEvent,
	"ping": PacketPing, "pong": PacketPong, "disconnect": PacketDisconnect,
}

func TestFixturesAreFromProtocol5(t *testing.T) {
	idx := loadIndex(t)
	if idx.Protocol != ProtocolVersion {
		t.Fatalf("fixtures captured with protocol %q, this node speaks %q", idx.Protocol, ProtocolVersion)
	}
	if len(idx.Subjects) != len(fixtureTypes) {
		t.Fatalf("%d fixtures captured, %d known here", len(idx.Subjects), len(fixtureTypes))
	}
}

func TestSubjectsMatchMoleculersNatsTransporter(t *testing.T) {
	idx := loadIndex(t)
	tr := &Transport{prefix: Prefix(idx.Namespace)}
	for name, subject := range idx.Subjects {
		p, err := Decode(fixtureTypes[name], fixture(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Targeted packets end in the receiver's node id; broadcasts have none.
		target := ""
		if n := len(tr.Topic(fixtureTypes[name], "")); len(subject) > n {
			target = subject[n+1:]
		}
		if got := tr.Topic(fixtureTypes[name], target); got != subject {
			t.Errorf("%s: subject %q, moleculer used %q", name, got, subject)
		}
		_ = p
	}
	if Prefix("") != "MOL" || Prefix("agora") != "MOL-agora" {
		t.Error("prefix is MOL, or MOL-<namespace>")
	}
}

// Every packet but INFO decodes and encodes back to the same JSON value.
func TestRoundTripEqualsWhatMoleculerSent(t *testing.T) {
	for name, typ := range fixtureTypes {
		if name == "info" {
			continue
		}
		raw := fixture(t, name)
		p, err := Decode(typ, raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sender := p.envelope().Sender
		out, err := Encode(sender, p)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want, got := generic(t, raw), generic(t, out)
		if !reflect.DeepEqual(want, got) {
			t.Errorf("%s:\nmoleculer: %s\nGo:        %s", name, raw, out)
		}
	}
}

func TestDecodesRequestContext(t *testing.T) {
	p, err := Decode(PacketRequest, fixture(t, "request-nested"))
	if err != nil {
		t.Fatal(err)
	}
	req := p.(*Request)
	if req.Action != "greeter.hello" || req.Level != 2 || req.Tracing == nil || !*req.Tracing {
		t.Errorf("action/level/tracing: %+v", req)
	}
	if str(req.RequestID) != "req-fixture-2" || str(req.ParentID) == "" || str(req.Caller) != "relay" {
		t.Errorf("requestID/parentID/caller: %q %q %q", str(req.RequestID), str(req.ParentID), str(req.Caller))
	}
	var params struct{ Name string }
	if err := json.Unmarshal(req.Params, &params); err != nil || params.Name != "Grace" {
		t.Errorf("params: %s", req.Params)
	}
}

func TestDecodesBalancedEventGroups(t *testing.T) {
	p, _ := Decode(PacketEvent, fixture(t, "event-balanced"))
	ev := p.(*Event)
	if ev.Broadcast || !reflect.DeepEqual(ev.Groups, []string{"greeter"}) || ev.Event != "order.confirmed" {
		t.Errorf("balanced event: %+v", ev)
	}
	p, _ = Decode(PacketEvent, fixture(t, "event-broadcast"))
	if b := p.(*Event); !b.Broadcast || b.Groups != nil {
		t.Errorf("broadcast event: %+v", b)
	}
}

func TestDecodesErrorsInMoleculersShape(t *testing.T) {
	p, _ := Decode(PacketResponse, fixture(t, "response-validation-error"))
	e := p.(*Response).Error
	mine := NewValidationError(nil)
	if e.Name != mine.Name || e.Code != mine.Code || e.Type != mine.Type || e.Message != mine.Message || e.Retryable {
		t.Errorf("ValidationError: moleculer %+v, Go %+v", e, mine)
	}
	p, _ = Decode(PacketResponse, fixture(t, "response-client-error"))
	e = p.(*Response).Error
	if e.Name != "MoleculerClientError" || e.Code != 403 || e.Type != "FORBIDDEN" || e.NodeID != "fixture-greeter" {
		t.Errorf("client error: %+v", e)
	}
	if e.Data.(map[string]any)["reason"] != "fixture" {
		t.Errorf("error data: %+v", e.Data)
	}
}

func TestRejectsOtherProtocolVersions(t *testing.T) {
	m := generic(t, fixture(t, "heartbeat"))
	m["ver"] = "4"
	data, _ := json.Marshal(m)
	if _, err := Decode(PacketHeartbeat, data); err == nil {
		t.Fatal("a v4 packet was accepted")
	}
	if _, err := Decode(PacketHeartbeat, []byte(`{"ver":"5"}`)); err == nil {
		t.Fatal("a packet without sender was accepted")
	}
	if _, err := Decode(PacketRequest, []byte(`not json`)); err == nil {
		t.Fatal("invalid JSON was accepted")
	}
}

func TestReadsMoleculersInfo(t *testing.T) {
	p, err := Decode(PacketInfo, fixture(t, "info"))
	if err != nil {
		t.Fatal(err)
	}
	info := p.(*Info)
	if info.Client.Type != "nodejs" || info.Client.Version != "0.15.2" || info.InstanceID == "" || info.Seq == 0 {
		t.Errorf("node fields: %+v", info.Client)
	}
	var greeter *ServiceInfo
	for i := range info.Services {
		if info.Services[i].Name == "greeter" {
			greeter = &info.Services[i]
		}
	}
	if greeter == nil {
		t.Fatal("greeter service missing")
	}
	if a := greeter.Actions["greeter.hello"]; a.Name != "greeter.hello" || a.RawName != "hello" {
		t.Errorf("actions keyed by full name: %+v", greeter.Actions)
	}
	if e := greeter.Events["order.confirmed"]; e.Group != "greeter" {
		t.Errorf("events keyed by name with group: %+v", greeter.Events)
	}
}

// Our INFO has the shape of moleculer's: the same fields at the top and in
// each service, actions and events as objects keyed by full name.
func TestInfoHasMoleculersShape(t *testing.T) {
	b := NewBroker(Options{NodeID: "go-test"})
	b.AddService(&Service{Name: "recommendations",
		Actions: []Action{{Name: "forProduct", Params: map[string]any{"productId": "string"}}},
		Events:  []Listener{{Event: "order.confirmed"}}})
	b.changeOffer(func() { b.started.Store(true) })
	out, err := Encode("go-test", b.localInfo())
	if err != nil {
		t.Fatal(err)
	}
	theirs, ours := generic(t, fixture(t, "info")), generic(t, out)
	if !reflect.DeepEqual(keys(theirs), keys(ours)) {
		t.Errorf("INFO fields: moleculer %v, Go %v", keys(theirs), keys(ours))
	}
	theirSvc := theirs["services"].([]any)[1].(map[string]any)
	ourSvc := ours["services"].([]any)[0].(map[string]any)
	if !reflect.DeepEqual(keys(theirSvc), keys(ourSvc)) {
		t.Errorf("service fields: moleculer %v, Go %v", keys(theirSvc), keys(ourSvc))
	}
	action := ourSvc["actions"].(map[string]any)["recommendations.forProduct"].(map[string]any)
	if action["name"] != "recommendations.forProduct" || action["rawName"] != "forProduct" {
		t.Errorf("action: %v", action)
	}
	event := ourSvc["events"].(map[string]any)["order.confirmed"].(map[string]any)
	if event["group"] != "recommendations" {
		t.Errorf("event group defaults to the service name: %v", event)
	}
	client := ours["client"].(map[string]any)
	if client["type"] != "go" || client["version"] != ClientVersion || client["langVersion"] == "" {
		t.Errorf("client: %v", client)
	}
	if ours["ver"] != "5" || ours["sender"] != "go-test" {
		t.Errorf("envelope: %v %v", ours["ver"], ours["sender"])
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
