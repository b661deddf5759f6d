package moleculer

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"runtime"
)

// ClientVersion is this library's version, sent in INFO's client field.
const ClientVersion = "0.1.0"

// ActionHandler answers a call; a returned *Error keeps its Moleculer shape.
// ctx ends when the caller stops waiting: pass it on to what the handler calls.
type ActionHandler func(ctx context.Context, call *Call) (any, error)

// EventHandler handles one event delivery.
type EventHandler func(ctx context.Context, event *Call) error

// Action is one action of a service. Params is its parameter schema in
// fastest-validator notation, shown to other nodes in INFO (the REPL and
// `actions` list it); the handler still validates for itself.
type Action struct {
	Name    string
	Params  map[string]any
	Handler ActionHandler
}

// Listener subscribes to an event. Group defaults to the service name, so
// replicas of a service share each emitted event: one of them gets it.
type Listener struct {
	Event   string
	Group   string
	Handler EventHandler
}

// Service is a named set of actions and event listeners. Metadata travels
// with INFO (Agora's services put their dependencies there: dependsOn).
type Service struct {
	Name     string
	Metadata map[string]any
	Actions  []Action
	Events   []Listener
}

func (s *Service) group(l Listener) string {
	if l.Group != "" {
		return l.Group
	}
	return s.Name
}

// info is the service as INFO describes it.
func (s *Service) info() ServiceInfo {
	si := ServiceInfo{
		Name:     s.Name,
		FullName: s.Name,
		Settings: map[string]any{},
		Metadata: s.Metadata,
		Actions:  map[string]ActionInfo{},
		Events:   map[string]EventInfo{},
	}
	if si.Metadata == nil {
		si.Metadata = map[string]any{}
	}
	for _, a := range s.Actions {
		full := s.Name + "." + a.Name
		ai := ActionInfo{Name: full, RawName: a.Name}
		if a.Params != nil {
			ai.Params, _ = json.Marshal(a.Params)
		}
		si.Actions[full] = ai
	}
	for _, l := range s.Events {
		si.Events[l.Event] = EventInfo{Name: l.Event, Group: s.group(l)}
	}
	return si
}

func clientInfo() Client {
	return Client{Type: "go", Version: ClientVersion, LangVersion: runtime.Version()}
}

// ipList: the node's non-loopback IPv4 addresses, as moleculer lists them.
func ipList() []string {
	ips := []string{}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ips
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			ips = append(ips, n.IP.String())
		}
	}
	return ips
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}
