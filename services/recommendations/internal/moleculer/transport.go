package moleculer

import (
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// NatsOptions are the connection settings Agora's Node nodes take from the
// environment (TRANSPORTER, NATS_USER/NATS_PASSWORD or NATS_TOKEN, ...).
type NatsOptions struct {
	Servers       []string
	User          string
	Password      string
	Token         string
	ReconnectWait time.Duration
	PingInterval  time.Duration
}

// Transport is moleculer's NATS transporter: subjects are
// MOL[-<namespace>].<CMD>[.<nodeID>]; balanced requests and events use
// queue groups (REQB.<action>, EVENTB.<group>.<event>).
type Transport struct {
	conn   *nats.Conn
	prefix string
	subs   []*nats.Subscription
	// inbox: every subscription delivers here, in the order the packets
	// arrived on the connection. A Node broker handles packets in that order
	// (one event loop); handled per subscription, an INFO could overtake the
	// DISCONNECT sent after it and list a node that has left.
	inbox chan *nats.Msg
	done  chan struct{}
}

// inboxSize bounds what may wait to be handled; more is a slow consumer.
const inboxSize = 65536

// Prefix is the subject prefix of a namespace, as moleculer builds it.
func Prefix(namespace string) string {
	if namespace == "" {
		return "MOL"
	}
	return "MOL-" + namespace
}

// Topic is the subject of a command, targeted at a node when nodeID is set.
func (t *Transport) Topic(cmd PacketType, nodeID string) string {
	if nodeID == "" {
		return t.prefix + "." + string(cmd)
	}
	return t.prefix + "." + string(cmd) + "." + nodeID
}

// ConnectNats connects and keeps reconnecting forever, like the Node nodes.
func ConnectNats(namespace, nodeID string, o NatsOptions, onReconnect func()) (*Transport, error) {
	opts := []nats.Option{
		nats.Name(nodeID),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(o.ReconnectWait),
		nats.PingInterval(o.PingInterval),
		nats.MaxPingsOutstanding(3),
		nats.RetryOnFailedConnect(true),
	}
	if o.User != "" {
		opts = append(opts, nats.UserInfo(o.User, o.Password))
	}
	if o.Token != "" {
		opts = append(opts, nats.Token(o.Token))
	}
	if onReconnect != nil {
		opts = append(opts, nats.ReconnectHandler(func(*nats.Conn) { onReconnect() }))
	}
	conn, err := nats.Connect(strings.Join(o.Servers, ","), opts...)
	if err != nil {
		return nil, err
	}
	return &Transport{conn: conn, prefix: Prefix(namespace), inbox: make(chan *nats.Msg, inboxSize), done: make(chan struct{})}, nil
}

// Connected reports whether NATS is reachable right now.
func (t *Transport) Connected() bool { return t.conn.IsConnected() }

// Subscribe delivers every message of a subject to the inbox.
func (t *Transport) Subscribe(subject string) error {
	sub, err := t.conn.ChanSubscribe(subject, t.inbox)
	if err == nil {
		t.subs = append(t.subs, sub)
	}
	return err
}

// QueueSubscribe delivers each message to one member of the queue group.
func (t *Transport) QueueSubscribe(subject, queue string) error {
	sub, err := t.conn.ChanQueueSubscribe(subject, queue, t.inbox)
	if err == nil {
		t.subs = append(t.subs, sub)
	}
	return err
}

// Receive hands every packet, in arrival order, to handle until Close;
// the packet type is the subject's command (REQB and EVENTB are REQ and EVENT).
func (t *Transport) Receive(handle func(PacketType, []byte)) {
	for {
		var m *nats.Msg
		select {
		case m = <-t.inbox:
		case <-t.done:
			return
		}
		cmd := strings.TrimPrefix(m.Subject, t.prefix+".")
		if i := strings.IndexByte(cmd, '.'); i >= 0 {
			cmd = cmd[:i]
		}
		handle(PacketType(strings.TrimSuffix(cmd, "B")), m.Data)
	}
}

// Publish sends one packet.
func (t *Transport) Publish(subject string, data []byte) error {
	return t.conn.Publish(subject, data)
}

// Flush waits until the server has every packet published so far.
func (t *Transport) Flush(timeout time.Duration) error { return t.conn.FlushTimeout(timeout) }

// Unsubscribe stops all deliveries (before leaving).
func (t *Transport) Unsubscribe() {
	for _, s := range t.subs {
		_ = s.Unsubscribe()
	}
	t.subs = nil
}

// Close flushes and closes the connection, and ends Receive.
func (t *Transport) Close() {
	_ = t.conn.FlushTimeout(2 * time.Second)
	t.conn.Close()
	close(t.done)
}
