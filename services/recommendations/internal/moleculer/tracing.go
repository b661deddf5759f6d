package moleculer

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
)

// Span is one traced action call or event delivery, identified the way
// moleculer identifies its spans: the span id is the context id, the parent
// is the caller's context id, the trace is the request id.
type Span struct {
	TraceID  string // 32 hex
	ID       string // 16 hex
	ParentID string // 16 hex, or "" for a root span
	Name     string
	Service  string
	Start    time.Time
	Duration time.Duration
	Tags     map[string]any
	Error    *Error
}

// SpanExporter ships finished spans (e.g. to Jaeger).
type SpanExporter interface {
	Export(span Span)
}

// Tracer reports a span for each sampled action call and event handled
// here. Whether a call is sampled is the caller's decision (the tracing flag
// of REQ/EVENT), so a trace is either complete or absent.
type Tracer struct {
	NodeID   string
	Exporter SpanExporter
}

func (t *Tracer) ActionStarted(call *Call) func(error) {
	return t.start(call, "action '"+call.Name+"'", "action", map[string]any{
		"action.name":  call.Name,
		"callingLevel": call.Level,
	})
}

func (t *Tracer) EventStarted(call *Call, group string) func(error) {
	return t.start(call, "event '"+call.Name+"' in '"+group+"'", "event", map[string]any{
		"event.name":  call.Name,
		"event.group": group,
	})
}

func (t *Tracer) start(call *Call, name, kind string, tags map[string]any) func(error) {
	if !call.Tracing {
		return func(error) {}
	}
	started := time.Now()
	tags["span.type"] = kind
	tags["nodeID"] = t.NodeID
	tags["callerNodeID"] = call.NodeID
	tags["remoteCall"] = call.NodeID != t.NodeID
	tags["requestID"] = call.RequestID
	return func(err error) {
		span := Span{
			TraceID:  TraceIDOf(call.RequestID),
			ID:       SpanIDOf(call.ID),
			ParentID: SpanIDOf(call.ParentID),
			Name:     name,
			Service:  call.service,
			Start:    started,
			Duration: time.Since(started),
			Tags:     tags,
		}
		if err != nil {
			span.Error = AsError(err)
		}
		t.Exporter.Export(span)
	}
}

var hexTraceID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TraceIDOf maps a request id to the 32-hex trace id Agora's Node nodes use
// for it (platform/observability/request-context.ts, traceIdOf): the id
// itself when it is 32 hex digits once dashes are dropped, else the start
// of its SHA-256.
func TraceIDOf(requestID string) string {
	compact := strings.ToLower(strings.ReplaceAll(requestID, "-", ""))
	if hexTraceID.MatchString(compact) {
		return compact
	}
	sum := sha256.Sum256([]byte(requestID))
	return hex.EncodeToString(sum[:])[:32]
}

// SpanIDOf is moleculer's Jaeger span id of a context id: the first 16 hex
// digits once dashes are dropped.
func SpanIDOf(id string) string {
	compact := strings.ReplaceAll(id, "-", "")
	if len(compact) > 16 {
		compact = compact[:16]
	}
	return compact
}
