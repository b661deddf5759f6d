package moleculer

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// CallOptions carry the context of a call across the cluster.
type CallOptions struct {
	Timeout   time.Duration // 0: the broker's RequestTimeout
	RequestID string        // empty: a new request (its own trace)
	ParentID  string
	Level     int
	Tracing   bool
	Caller    string
	Meta      map[string]any
}

type pendingCall struct {
	action string
	nodeID string
	done   chan *Response
	failed chan *Error
}

// Call calls an action on some node that offers it (round robin). A
// retryable failure (timeout, node gone, node stopping) is tried once more on
// each other node, up to Retries times, while ctx is neither done nor past its
// deadline. The node called is told the time left (the request's timeout).
func (b *Broker) Call(ctx context.Context, action string, params any, opts CallOptions) (json.RawMessage, error) {
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		opts.Timeout = b.opts.RequestTimeout
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < opts.Timeout {
			opts.Timeout = time.Until(deadline)
		}
	}
	if opts.Level == 0 {
		opts.Level = 1
	}
	tried := map[string]bool{}
	var last *Error
	for attempt := 0; attempt <= b.opts.Retries; attempt++ {
		if ctx.Err() != nil {
			return nil, contextError(ctx, action, "")
		}
		nodeID, ok := b.registry.PickActionNode(action, tried)
		if !ok {
			if last != nil {
				return nil, last
			}
			return nil, NewServiceNotFoundError(action, "")
		}
		tried[nodeID] = true
		data, callErr := b.callNode(ctx, nodeID, action, raw, opts)
		if callErr == nil {
			return data, nil
		}
		if !callErr.Retryable {
			return nil, callErr
		}
		b.transit.Warnf("Call '%s' on '%s' failed (%s); trying another node.", action, nodeID, callErr.Message)
		last = callErr
	}
	return nil, last
}

// contextError is how a call whose ctx ended fails: a timeout when its
// deadline passed, rejected (and not retried) when it was cancelled.
func contextError(ctx context.Context, action, nodeID string) *Error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return NewRequestTimeoutError(action, nodeID)
	}
	e := NewRequestRejectedError(action, nodeID)
	e.Retryable = false
	return e
}

func (b *Broker) callNode(ctx context.Context, nodeID, action string, params json.RawMessage, opts CallOptions) (json.RawMessage, *Error) {
	id := newID()
	requestID := opts.RequestID
	if requestID == "" {
		requestID = id
	}
	meta := opts.Meta
	if meta == nil {
		meta = map[string]any{}
	}
	tracing := opts.Tracing
	req := &Request{
		ID:        id,
		Action:    action,
		Params:    params,
		Meta:      meta,
		Headers:   map[string]any{},
		Timeout:   float64(opts.Timeout.Milliseconds()),
		Level:     opts.Level,
		Tracing:   &tracing,
		ParentID:  strPtr(opts.ParentID),
		RequestID: &requestID,
		Caller:    strPtr(opts.Caller),
	}
	call := &pendingCall{action: action, nodeID: nodeID, done: make(chan *Response, 1), failed: make(chan *Error, 1)}
	b.mu.Lock()
	b.pending[id] = call
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.pending, id)
		b.mu.Unlock()
	}()
	if err := b.send(b.transport.Topic(PacketRequest, nodeID), req); err != nil {
		return nil, NewRequestRejectedError(action, nodeID)
	}
	timer := time.NewTimer(opts.Timeout)
	defer timer.Stop()
	select {
	case res := <-call.done:
		if !res.Success {
			if res.Error == nil {
				return nil, NewServerError("Failed response without error.", "INVALID_PACKET_DATA")
			}
			return nil, res.Error
		}
		return res.Data, nil
	case e := <-call.failed:
		return nil, e
	case <-timer.C:
		return nil, NewRequestTimeoutError(action, nodeID)
	case <-ctx.Done():
		return nil, contextError(ctx, action, nodeID)
	}
}

func (b *Broker) handleResponse(res *Response) {
	b.mu.Lock()
	call, ok := b.pending[res.ID]
	b.mu.Unlock()
	if !ok {
		b.transit.Debugf("Orphan response %s from '%s' (the call timed out).", res.ID, res.Sender)
		return
	}
	call.done <- res
}

// failPending fails the calls waiting on a node ("" = every node).
func (b *Broker) failPending(errorFor func(action, nodeID string) *Error, nodeID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, call := range b.pending {
		if nodeID == "" || call.nodeID == nodeID {
			select {
			case call.failed <- errorFor(call.action, call.nodeID):
			default:
			}
		}
	}
}

// handleRequest runs a local action and answers the caller (RES.<sender>).
// The handler's context ends when the caller stops waiting (the request's
// timeout) or when the node gives up on its calls in flight (Stop).
func (b *Broker) handleRequest(req *Request) {
	call := &Call{
		ID:        req.ID,
		Name:      req.Action,
		NodeID:    req.Sender,
		RequestID: str(req.RequestID),
		ParentID:  str(req.ParentID),
		Caller:    str(req.Caller),
		Level:     req.Level,
		Tracing:   req.Tracing != nil && *req.Tracing,
		Meta:      req.Meta,
		Params:    req.Params,
		broker:    b,
	}
	if call.RequestID == "" {
		call.RequestID = call.ID
	}
	if call.Meta == nil {
		call.Meta = map[string]any{}
	}
	respond := func(data any, err error) {
		res := &Response{ID: req.ID, Meta: call.Meta, Headers: map[string]any{}, Success: err == nil, Data: json.RawMessage("null")}
		if err != nil {
			e := *AsError(err)
			if e.NodeID == "" {
				e.NodeID = b.opts.NodeID
			}
			res.Error = &e
		} else if data != nil {
			raw, mErr := json.Marshal(data)
			if mErr != nil {
				res.Success = false
				res.Error = NewServerError("Unable to serialise the response.", "SERIALIZATION_ERROR")
			} else {
				res.Data = raw
			}
		}
		if sendErr := b.send(b.transport.Topic(PacketResponse, req.Sender), res); sendErr != nil {
			b.transit.Errorf("Unable to send the response of '%s' to '%s': %v", req.Action, req.Sender, sendErr)
		}
	}
	if b.stopping.Load() || !b.started.Load() {
		respond(nil, NewServiceNotAvailableError(req.Action, b.opts.NodeID))
		return
	}
	action, ok := b.actions[req.Action]
	if !ok {
		respond(nil, NewServiceNotFoundError(req.Action, b.opts.NodeID))
		return
	}
	call.service = serviceOf(req.Action)
	ctx, cancel := context.WithCancel(b.running)
	if req.Timeout > 0 {
		ctx, cancel = context.WithTimeout(b.running, time.Duration(req.Timeout)*time.Millisecond)
	}
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		defer cancel()
		var end func(error)
		if b.opts.Observer != nil {
			end = b.opts.Observer.ActionStarted(call)
		}
		data, err := runAction(ctx, action.Handler, call)
		if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			// The handler gave up because its context ended: say why as Moleculer does.
			err = contextError(ctx, req.Action, b.opts.NodeID)
		}
		if end != nil {
			end(err)
		}
		respond(data, err)
	}()
}

// runAction turns a panic in a handler into a 500 instead of a dead node.
func runAction(ctx context.Context, h ActionHandler, call *Call) (data any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = NewServerError("Internal error in the action handler.", "INTERNAL_ERROR")
		}
	}()
	return h(ctx, call)
}

func serviceOf(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '.' {
			return name[:i]
		}
	}
	return name
}
