package moleculer

import (
	"context"
	"fmt"
	"math/rand"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a node; the service's main reads them from the same
// environment variables the Node nodes use.
type Options struct {
	NodeID            string
	Namespace         string
	Nats              NatsOptions
	HeartbeatInterval time.Duration
	HeartbeatTimeout  time.Duration
	RequestTimeout    time.Duration
	// Retries: how many other nodes a call that failed with a retryable
	// error (timeout, node gone) is tried on.
	Retries         int
	ShutdownTimeout time.Duration
	Logger          *Logger
	// Observer sees every action call and event (metrics, tracing); may be nil.
	Observer Observer
}

// Observer is told about each handled call and event, e.g. to count them or
// to report spans. Started returns the function to call when it ends.
type Observer interface {
	ActionStarted(call *Call) func(err error)
	EventStarted(event *Call, group string) func(err error)
}

// Broker is the local node: it joins the cluster, serves its services'
// actions and events, and calls the actions of other nodes.
type Broker struct {
	opts       Options
	log        *Logger
	transit    *Logger
	instanceID string
	transport  *Transport
	registry   *Registry
	services   []*Service
	actions    map[string]Action
	listeners  map[string][]boundListener

	// offer guards what the node offers (started, stopping) together with the
	// seq its INFO carries: every change of the offer takes a new, higher seq,
	// and an INFO is built from one consistent snapshot of both. Moleculer's
	// registry ignores an INFO whose seq is not above the last one it saw
	// (registry/node.js update), so an INFO answering a DISCOVER before Start
	// (no services) must not share a seq with the one that lists them.
	offer sync.Mutex
	seq   int64

	mu       sync.Mutex
	pending  map[string]*pendingCall
	inflight sync.WaitGroup
	// running is the parent of every handler's context; Stop cancels it
	// once it stops waiting for the calls in flight.
	running  context.Context
	abandon  context.CancelFunc
	started  atomic.Bool
	stopping atomic.Bool
	stop     chan struct{}
	beating  sync.WaitGroup
	cpu      cpuMeter
}

type boundListener struct {
	service *Service
	group   string
	handler EventHandler
}

func NewBroker(opts Options) *Broker {
	if opts.Logger == nil {
		opts.Logger = NewLogger(opts.NodeID, ParseLogLevels("info"), false)
	}
	b := &Broker{
		opts:       opts,
		log:        opts.Logger.Module("broker"),
		transit:    opts.Logger.Module("transit"),
		instanceID: newID(),
		actions:    map[string]Action{},
		listeners:  map[string][]boundListener{},
		pending:    map[string]*pendingCall{},
		stop:       make(chan struct{}),
		// Moleculer starts a node's seq at 1 and reads a missing one as 1.
		seq: 1,
	}
	b.running, b.abandon = context.WithCancel(context.Background())
	b.registry = NewRegistry(b.nodeDropped)
	return b
}

// NodeID is this node's id.
func (b *Broker) NodeID() string { return b.opts.NodeID }

// Registry is the view of the cluster (remote nodes and what they offer).
func (b *Broker) Registry() *Registry { return b.registry }

// Connected reports whether the transport reaches NATS.
func (b *Broker) Connected() bool { return b.transport != nil && b.transport.Connected() }

// Started reports whether the services are announced and not stopping.
func (b *Broker) Started() bool { return b.started.Load() && !b.stopping.Load() }

// AddService registers a service; call before Start.
func (b *Broker) AddService(s *Service) {
	b.services = append(b.services, s)
	for _, a := range s.Actions {
		b.actions[s.Name+"."+a.Name] = a
	}
	for _, l := range s.Events {
		b.listeners[l.Event] = append(b.listeners[l.Event], boundListener{service: s, group: s.group(l), handler: l.Handler})
	}
}

// Start connects, subscribes, discovers the cluster, then announces the
// services: as the protocol's start sequence, remote nodes learn about the
// services only once they can be called.
func (b *Broker) Start() error {
	b.transit.Infof("Connecting to the transporter (%d server(s))...", len(b.opts.Nats.Servers))
	t, err := ConnectNats(b.opts.Namespace, b.opts.NodeID, b.opts.Nats, b.reconnected)
	if err != nil {
		return fmt.Errorf("NATS: %w", err)
	}
	b.transport = t
	if err := b.subscribe(); err != nil {
		return fmt.Errorf("subscribing: %w", err)
	}
	b.publish(PacketDiscover, "", &Discover{})
	// Moleculer waits as long for the INFO answers before it calls itself started.
	time.Sleep(500 * time.Millisecond)
	b.changeOffer(func() { b.started.Store(true) })
	b.publish(PacketInfo, "", b.localInfo())
	b.beating.Add(1)
	go b.heartbeatLoop()
	b.log.Infof("ServiceBroker with %d service(s) started successfully (protocol v%s, Go node).", len(b.services), ProtocolVersion)
	return nil
}

// Stop leaves gracefully: an INFO with no services (callers stop routing
// here), then the calls in flight finish (up to ShutdownTimeout), then a
// DISCONNECT so every node drops this one at once, not after a timeout.
func (b *Broker) Stop() {
	leaving := false
	b.changeOffer(func() { leaving = b.stopping.CompareAndSwap(false, true) })
	if !leaving {
		return
	}
	b.log.Infof("Stopping: announcing no services, waiting for calls in flight...")
	b.publish(PacketInfo, "", b.localInfo())
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(b.opts.ShutdownTimeout):
		b.log.Warnf("Calls still running after %s; leaving anyway.", b.opts.ShutdownTimeout)
	}
	b.abandon()
	close(b.stop)
	// No heartbeat may follow the DISCONNECT: it would make the others ask
	// this node for its INFO and list it again.
	b.beating.Wait()
	b.publish(PacketDisconnect, "", &Disconnect{})
	b.transport.Unsubscribe()
	b.failPending(func(action, nodeID string) *Error { return NewRequestRejectedError(action, nodeID) }, "")
	b.transport.Close()
	b.log.Infof("ServiceBroker is stopped. Good bye.")
}

func (b *Broker) subscribe() error {
	me := b.opts.NodeID
	t := b.transport
	subs := []struct {
		cmd    PacketType
		nodeID string
	}{
		{PacketEvent, me}, {PacketRequest, me}, {PacketResponse, me},
		{PacketDiscover, ""}, {PacketDiscover, me},
		{PacketInfo, ""}, {PacketInfo, me},
		{PacketDisconnect, ""}, {PacketHeartbeat, ""},
		{PacketPing, ""}, {PacketPing, me}, {PacketPong, me},
	}
	go t.Receive(b.receive)
	for _, s := range subs {
		if err := t.Subscribe(t.Topic(s.cmd, s.nodeID)); err != nil {
			return err
		}
	}
	// Queue groups for brokers that run with the built-in balancer disabled:
	// NATS then picks one subscriber per action or event group.
	for action := range b.actions {
		if err := t.QueueSubscribe(t.prefix+".REQB."+action, action); err != nil {
			return err
		}
	}
	for event, ls := range b.listeners {
		for _, l := range ls {
			if err := t.QueueSubscribe(t.prefix+".EVENTB."+l.group+"."+event, l.group); err != nil {
				return err
			}
		}
	}
	return t.Flush(5 * time.Second)
}

// reconnected: NATS came back; nodes may have come and gone meanwhile.
func (b *Broker) reconnected() {
	b.transit.Infof("Reconnected to NATS; announcing this node again.")
	b.publish(PacketInfo, "", b.localInfo())
	b.publish(PacketDiscover, "", &Discover{})
}

func (b *Broker) receive(cmd PacketType, data []byte) {
	p, err := Decode(cmd, data)
	if err != nil {
		b.transit.Warnf("Invalid incoming packet: %v", err)
		return
	}
	if p.envelope().Sender == b.opts.NodeID && cmd != PacketRequest && cmd != PacketEvent && cmd != PacketResponse {
		return
	}
	switch pk := p.(type) {
	case *Request:
		b.handleRequest(pk)
	case *Response:
		b.handleResponse(pk)
	case *Event:
		b.handleEvent(pk)
	case *Discover:
		// A leaving node answers no DISCOVER: it would be listed again.
		if !b.stopping.Load() {
			b.publish(PacketInfo, pk.Sender, b.localInfo())
		}
	case *Info:
		if b.registry.ProcessInfo(pk) {
			b.log.Infof("Node '%s' connected (%s %s).", pk.Sender, pk.Client.Type, pk.Client.Version)
		}
	case *Heartbeat:
		if !b.registry.Heartbeat(pk.Sender) {
			b.publish(PacketDiscover, pk.Sender, &Discover{})
		}
	case *Disconnect:
		b.log.Infof("Node '%s' disconnected.", pk.Sender)
		b.registry.Disconnected(pk.Sender)
	case *Ping:
		b.publish(PacketPong, pk.Sender, &Pong{Time: pk.Time, ID: pk.ID, Arrived: time.Now().UnixMilli()})
	case *Pong:
		b.transit.Debugf("PONG from '%s': %d ms", pk.Sender, time.Now().UnixMilli()-pk.Time)
	}
}

// publish sends a packet to a node, or to everyone when nodeID is empty.
func (b *Broker) publish(t PacketType, nodeID string, p Payload) {
	if err := b.send(b.transport.Topic(t, nodeID), p); err != nil {
		b.transit.Errorf("Unable to send %s packet: %v", t, err)
	}
}

func (b *Broker) send(subject string, p Payload) error {
	data, err := Encode(b.opts.NodeID, p)
	if err != nil {
		return err
	}
	return b.transport.Publish(subject, data)
}

// changeOffer applies a change to what the node offers and moves its seq on.
func (b *Broker) changeOffer(change func()) {
	b.offer.Lock()
	defer b.offer.Unlock()
	change()
	b.seq++
}

func (b *Broker) localInfo() *Info {
	b.offer.Lock()
	defer b.offer.Unlock()
	services := []ServiceInfo{}
	if b.started.Load() && !b.stopping.Load() {
		for _, s := range b.services {
			services = append(services, s.info())
		}
	}
	return &Info{
		Services:   services,
		IPList:     ipList(),
		Hostname:   hostname(),
		Client:     clientInfo(),
		Config:     map[string]any{},
		InstanceID: b.instanceID,
		Metadata:   map[string]any{},
		Seq:        b.seq,
	}
}

// heartbeatLoop beats (with moleculer's ±0.5 s jitter, so nodes started
// together do not beat together) and drops silent nodes.
func (b *Broker) heartbeatLoop() {
	defer b.beating.Done()
	jitter := time.Duration(rand.Intn(1000)-500) * time.Millisecond
	beat := time.NewTicker(b.opts.HeartbeatInterval + jitter)
	check := time.NewTicker(b.opts.HeartbeatTimeout / 2)
	defer beat.Stop()
	defer check.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-beat.C:
			b.publish(PacketHeartbeat, "", &Heartbeat{CPU: b.cpu.percent()})
		case <-check.C:
			for _, id := range b.registry.CheckHeartbeats(b.opts.HeartbeatTimeout) {
				b.log.Warnf("Heartbeat is not received from '%s' node.", id)
			}
		}
	}
}

// nodeDropped: calls waiting on a node that left fail now, and are retried elsewhere.
func (b *Broker) nodeDropped(nodeID string) {
	b.failPending(func(action, id string) *Error { return NewRequestRejectedError(action, id) }, nodeID)
}
