package moleculer

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"time"
)

// Call is one action call or event delivery with what Moleculer's Context
// carries across the cluster: the request id (the trace id), the id of the
// caller's context (the parent span), the call level, the sampling decision
// and meta. How long the caller waits, and whether it still does, travels
// beside it as the handler's context.Context.
type Call struct {
	ID        string
	Name      string // action or event name
	NodeID    string // the node that sent it
	RequestID string
	ParentID  string
	Caller    string
	Level     int
	Tracing   bool
	Meta      map[string]any
	Params    json.RawMessage
	Groups    []string

	broker  *Broker
	service string
}

// Bind decodes the params (or the event payload) into v.
func (c *Call) Bind(v any) error {
	if len(c.Params) == 0 {
		return json.Unmarshal([]byte("{}"), v)
	}
	return json.Unmarshal(c.Params, v)
}

// Call calls an action of the cluster as a child of this call: same request
// id, this call as parent, one level deeper, same sampling decision and meta,
// and no more time than ctx has left (the caller's deadline, in a handler).
func (c *Call) Call(ctx context.Context, action string, params any, out any) error {
	opts := CallOptions{
		RequestID: c.RequestID,
		ParentID:  c.ID,
		Level:     c.Level + 1,
		Tracing:   c.Tracing,
		Caller:    c.service,
		Meta:      c.Meta,
	}
	if deadline, ok := ctx.Deadline(); ok {
		opts.Timeout = time.Until(deadline)
		if opts.Timeout <= 0 {
			return NewRequestTimeoutError(action, "")
		}
	}
	data, err := c.broker.Call(ctx, action, params, opts)
	if err != nil || out == nil {
		return err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("decoding the answer of %s: %w", action, err)
	}
	return nil
}

// newID is a random UUID (v4), the form moleculer uses for context ids.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
