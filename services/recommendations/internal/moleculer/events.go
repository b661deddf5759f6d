package moleculer

import (
	"context"
	"encoding/json"
	"sort"
)

// handleEvent runs the local listeners an EVENT is meant for: those of the
// groups it names (a balanced emit: one replica per group gets it), or every
// listener for a broadcast.
func (b *Broker) handleEvent(ev *Event) {
	if b.stopping.Load() {
		b.transit.Warnf("Event '%s' from '%s' dropped: the node is stopping.", ev.Event, ev.Sender)
		return
	}
	call := &Call{
		ID:        ev.ID,
		Name:      ev.Event,
		NodeID:    ev.Sender,
		RequestID: str(ev.RequestID),
		ParentID:  str(ev.ParentID),
		Caller:    str(ev.Caller),
		Level:     ev.Level,
		Tracing:   ev.Tracing != nil && *ev.Tracing,
		Meta:      ev.Meta,
		Params:    ev.Data,
		Groups:    ev.Groups,
		broker:    b,
	}
	if call.RequestID == "" {
		call.RequestID = call.ID
	}
	for _, l := range b.listeners[ev.Event] {
		if len(ev.Groups) > 0 && !contains(ev.Groups, l.group) {
			continue
		}
		l := l
		delivery := *call
		delivery.service = l.service.Name
		b.inflight.Add(1)
		go func() {
			defer b.inflight.Done()
			var end func(error)
			if b.opts.Observer != nil {
				end = b.opts.Observer.EventStarted(&delivery, l.group)
			}
			err := runListener(b.running, l.handler, &delivery)
			if err != nil {
				b.log.Errorf("Handler of '%s' (group %s) failed: %v", ev.Event, l.group, err)
			}
			if end != nil {
				end(err)
			}
		}()
	}
}

func runListener(ctx context.Context, h EventHandler, event *Call) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = NewServerError("Internal error in the event handler.", "INTERNAL_ERROR")
		}
	}()
	return h(ctx, event)
}

// Emit sends an event to one listener per group, as moleculer's built-in
// balancer does: each chosen node gets one EVENT naming its groups.
func (b *Broker) Emit(event string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	targets := b.registry.EventTargets(event)
	nodes := make([]string, 0, len(targets))
	for id := range targets {
		nodes = append(nodes, id)
	}
	sort.Strings(nodes)
	for _, nodeID := range nodes {
		if err := b.send(b.transport.Topic(PacketEvent, nodeID), b.eventPacket(event, raw, targets[nodeID], false)); err != nil {
			return err
		}
	}
	return nil
}

// Broadcast sends an event to every node that listens to it.
func (b *Broker) Broadcast(event string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	for _, nodeID := range b.registry.EventNodes(event) {
		if err := b.send(b.transport.Topic(PacketEvent, nodeID), b.eventPacket(event, raw, nil, true)); err != nil {
			return err
		}
	}
	return nil
}

func (b *Broker) eventPacket(event string, data json.RawMessage, groups []string, broadcast bool) *Event {
	id := newID()
	return &Event{ID: id, Event: event, Data: data, Groups: groups, Broadcast: broadcast, Meta: map[string]any{}, Headers: map[string]any{}, Level: 1, RequestID: &id}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
