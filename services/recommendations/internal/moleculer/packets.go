// Package moleculer is a small Moleculer node: protocol v5 (moleculer 0.15)
// over NATS with the JSON serializer. It joins a cluster of Node.js brokers as
// a peer: it is discovered, called and balanced over like any of them, calls
// their actions, receives events balanced by group, and leaves gracefully.
//
// The wire format is the one moleculer 0.15 puts on NATS, checked against
// packets captured from a real node (testdata/, scripts/capture-moleculer-packets.ts).
package moleculer

import (
	"encoding/json"
	"fmt"
)

// ProtocolVersion is the version every packet carries in "ver"; moleculer
// drops packets of any other version.
const ProtocolVersion = "5"

// PacketType names a packet kind; it is also the command part of the subject.
type PacketType string

const (
	PacketDiscover   PacketType = "DISCOVER"
	PacketInfo       PacketType = "INFO"
	PacketHeartbeat  PacketType = "HEARTBEAT"
	PacketRequest    PacketType = "REQ"
	PacketResponse   PacketType = "RES"
	PacketEvent      PacketType = "EVENT"
	PacketPing       PacketType = "PING"
	PacketPong       PacketType = "PONG"
	PacketDisconnect PacketType = "DISCONNECT"
)

// Envelope is in every packet; moleculer's serializer appends it last.
type Envelope struct {
	Ver    string `json:"ver"`
	Sender string `json:"sender"`
}

func (e *Envelope) envelope() *Envelope { return e }

// Payload is any packet body.
type Payload interface{ envelope() *Envelope }

// Discover asks every node (or one, by subject) for its INFO.
type Discover struct {
	Envelope
}

// Client tells what implementation a node runs (REPL `nodes` shows it).
type Client struct {
	Type        string `json:"type"`
	Version     string `json:"version"`
	LangVersion string `json:"langVersion"`
}

// ActionInfo is one action as INFO lists it, keyed by its full name.
type ActionInfo struct {
	Name    string          `json:"name"`
	RawName string          `json:"rawName"`
	Params  json.RawMessage `json:"params,omitempty"`
}

// EventInfo is one event subscription as INFO lists it, keyed by event name.
type EventInfo struct {
	Name  string `json:"name"`
	Group string `json:"group,omitempty"`
}

// ServiceInfo is one service of a node. Actions and events are objects keyed
// by full action / event name (the spec's example shows arrays; moleculer
// 0.15 sends and expects objects).
type ServiceInfo struct {
	Name     string                `json:"name"`
	FullName string                `json:"fullName"`
	Version  json.RawMessage       `json:"version,omitempty"`
	Settings map[string]any        `json:"settings"`
	Metadata map[string]any        `json:"metadata"`
	Actions  map[string]ActionInfo `json:"actions"`
	Events   map[string]EventInfo  `json:"events"`
}

// Info describes a node and its services.
type Info struct {
	Services   []ServiceInfo  `json:"services"`
	IPList     []string       `json:"ipList"`
	Hostname   string         `json:"hostname"`
	Client     Client         `json:"client"`
	Config     map[string]any `json:"config"`
	InstanceID string         `json:"instanceID"`
	Metadata   map[string]any `json:"metadata"`
	Seq        int64          `json:"seq"`
	Envelope
}

// Heartbeat says a node is alive; cpu is its CPU use in percent.
type Heartbeat struct {
	CPU float64 `json:"cpu"`
	Envelope
}

// Request calls an action. Moleculer sends null for an absent parentID,
// requestID, caller or tracing, hence the pointers.
type Request struct {
	ID        string          `json:"id"`
	Action    string          `json:"action"`
	Params    json.RawMessage `json:"params"`
	Meta      map[string]any  `json:"meta"`
	Headers   map[string]any  `json:"headers"`
	Timeout   float64         `json:"timeout"`
	Level     int             `json:"level"`
	Tracing   *bool           `json:"tracing"`
	ParentID  *string         `json:"parentID"`
	RequestID *string         `json:"requestID"`
	Caller    *string         `json:"caller"`
	Stream    bool            `json:"stream"`
	Seq       *int            `json:"seq,omitempty"`
	Envelope
}

// Response answers a Request (same id).
type Response struct {
	ID      string          `json:"id"`
	Meta    map[string]any  `json:"meta"`
	Headers map[string]any  `json:"headers"`
	Success bool            `json:"success"`
	Data    json.RawMessage `json:"data"`
	Error   *Error          `json:"error,omitempty"`
	Stream  *bool           `json:"stream,omitempty"`
	Seq     *int            `json:"seq,omitempty"`
	Envelope
}

// Event delivers an emitted or broadcast event. Groups is set for a balanced
// emit (one handler per group) and absent for a broadcast.
type Event struct {
	ID        string          `json:"id"`
	Event     string          `json:"event"`
	Data      json.RawMessage `json:"data"`
	Groups    []string        `json:"groups,omitempty"`
	Broadcast bool            `json:"broadcast"`
	Meta      map[string]any  `json:"meta"`
	Headers   map[string]any  `json:"headers"`
	Level     int             `json:"level"`
	Tracing   *bool           `json:"tracing"`
	ParentID  *string         `json:"parentID"`
	RequestID *string         `json:"requestID"`
	Caller    *string         `json:"caller"`
	NeedAck   *bool           `json:"needAck"`
	Envelope
}

// Ping asks for a Pong; time is the sender's clock in ms.
type Ping struct {
	Time int64  `json:"time"`
	ID   string `json:"id"`
	Envelope
}

// Pong answers a Ping with the time it arrived.
type Pong struct {
	Time    int64  `json:"time"`
	ID      string `json:"id"`
	Arrived int64  `json:"arrived"`
	Envelope
}

// Disconnect says a node leaves on purpose.
type Disconnect struct {
	Envelope
}

// Encode serialises a payload as moleculer's JSON serializer does, stamping
// the protocol version and the sender.
func Encode(sender string, p Payload) ([]byte, error) {
	env := p.envelope()
	env.Ver = ProtocolVersion
	env.Sender = sender
	return json.Marshal(p)
}

// Decode parses a packet of the given type and rejects other protocol versions.
func Decode(t PacketType, data []byte) (Payload, error) {
	var p Payload
	switch t {
	case PacketDiscover:
		p = &Discover{}
	case PacketInfo:
		p = &Info{}
	case PacketHeartbeat:
		p = &Heartbeat{}
	case PacketRequest:
		p = &Request{}
	case PacketResponse:
		p = &Response{}
	case PacketEvent:
		p = &Event{}
	case PacketPing:
		p = &Ping{}
	case PacketPong:
		p = &Pong{}
	case PacketDisconnect:
		p = &Disconnect{}
	default:
		return nil, fmt.Errorf("unknown packet type %q", t)
	}
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("invalid %s packet: %w", t, err)
	}
	env := p.envelope()
	if env.Ver != ProtocolVersion {
		return nil, fmt.Errorf("protocol version mismatch: %s packet from %q has ver %q, want %q", t, env.Sender, env.Ver, ProtocolVersion)
	}
	if env.Sender == "" {
		return nil, fmt.Errorf("%s packet without sender", t)
	}
	return p, nil
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
