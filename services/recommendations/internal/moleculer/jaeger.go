package moleculer

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"sort"
	"sync"
	"time"
)

// JaegerExporter posts spans to a Jaeger collector (JAEGER_ENDPOINT,
// e.g. http://jaeger:14268/api/traces) as the Node nodes' jaeger-client
// does: a Thrift Batch in the binary protocol, about once a second.
type JaegerExporter struct {
	endpoint string
	service  string
	nodeID   string
	log      *Logger
	client   *http.Client

	mu    sync.Mutex
	spans []Span
	stop  chan struct{}
	done  chan struct{}
}

func NewJaegerExporter(endpoint, service, nodeID string, log *Logger) *JaegerExporter {
	e := &JaegerExporter{endpoint: endpoint, service: service, nodeID: nodeID, log: log.Module("tracer"),
		client: &http.Client{Timeout: 5 * time.Second}, stop: make(chan struct{}), done: make(chan struct{})}
	go e.loop()
	return e
}

func (e *JaegerExporter) Export(s Span) {
	e.mu.Lock()
	e.spans = append(e.spans, s)
	e.mu.Unlock()
}

// Close sends what is left.
func (e *JaegerExporter) Close() {
	close(e.stop)
	<-e.done
}

func (e *JaegerExporter) loop() {
	defer close(e.done)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			e.flush()
		case <-e.stop:
			e.flush()
			return
		}
	}
}

func (e *JaegerExporter) flush() {
	e.mu.Lock()
	spans := e.spans
	e.spans = nil
	e.mu.Unlock()
	if len(spans) == 0 {
		return
	}
	body := EncodeJaegerBatch(e.service, map[string]any{"nodeID": e.nodeID}, spans)
	res, err := e.client.Post(e.endpoint, "application/x-thrift", bytes.NewReader(body))
	if err != nil {
		e.log.Warnf("Sending %d span(s) to Jaeger failed: %v", len(spans), err)
		return
	}
	res.Body.Close()
	if res.StatusCode >= 300 {
		e.log.Warnf("Jaeger answered %d to %d span(s).", res.StatusCode, len(spans))
	}
}

// Thrift binary protocol: the few types jaeger.thrift's Batch needs.
const (
	tStop   = 0
	tBool   = 2
	tDouble = 4
	tI32    = 8
	tI64    = 10
	tString = 11
	tStruct = 12
	tList   = 15
)

type thriftWriter struct{ bytes.Buffer }

func (w *thriftWriter) field(typ byte, id int16) {
	w.WriteByte(typ)
	_ = binary.Write(w, binary.BigEndian, id)
}
func (w *thriftWriter) i32(v int32) { _ = binary.Write(w, binary.BigEndian, v) }
func (w *thriftWriter) i64(v int64) { _ = binary.Write(w, binary.BigEndian, v) }
func (w *thriftWriter) str(s string) {
	w.i32(int32(len(s)))
	w.WriteString(s)
}
func (w *thriftWriter) list(elem byte, n int) {
	w.WriteByte(elem)
	w.i32(int32(n))
}

// tag writes a jaeger Tag: vType STRING 0, DOUBLE 1, BOOL 2, LONG 3.
func (w *thriftWriter) tag(key string, value any) {
	w.field(tString, 1)
	w.str(key)
	switch v := value.(type) {
	case bool:
		w.field(tI32, 2)
		w.i32(2)
		w.field(tBool, 5)
		if v {
			w.WriteByte(1)
		} else {
			w.WriteByte(0)
		}
	case int:
		w.field(tI32, 2)
		w.i32(3)
		w.field(tI64, 6)
		w.i64(int64(v))
	case float64:
		w.field(tI32, 2)
		w.i32(1)
		w.field(tDouble, 4)
		_ = binary.Write(w, binary.BigEndian, math.Float64bits(v))
	default:
		w.field(tI32, 2)
		w.i32(0)
		w.field(tString, 3)
		w.str(fmt.Sprint(v))
	}
	w.WriteByte(tStop)
}

func (w *thriftWriter) tags(id int16, tags map[string]any) {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	w.field(tList, id)
	w.list(tStruct, len(keys))
	for _, k := range keys {
		w.tag(k, tags[k])
	}
}

func hexID(s string, from, to int) int64 {
	if len(s) < to {
		return 0
	}
	b, err := hex.DecodeString(s[from:to])
	if err != nil || len(b) != 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(b))
}

// EncodeJaegerBatch is one jaeger.thrift Batch: the process (service name and
// tags) and its spans.
func EncodeJaegerBatch(service string, processTags map[string]any, spans []Span) []byte {
	w := &thriftWriter{}
	w.field(tStruct, 1) // process
	w.field(tString, 1)
	w.str(service)
	w.tags(2, processTags)
	w.WriteByte(tStop)

	w.field(tList, 2) // spans
	w.list(tStruct, len(spans))
	for _, s := range spans {
		w.field(tI64, 1)
		w.i64(hexID(s.TraceID, 16, 32))
		w.field(tI64, 2)
		w.i64(hexID(s.TraceID, 0, 16))
		w.field(tI64, 3)
		w.i64(hexID(s.ID, 0, 16))
		w.field(tI64, 4)
		w.i64(hexID(s.ParentID, 0, 16))
		w.field(tString, 5)
		w.str(s.Name)
		w.field(tI32, 7)
		w.i32(1) // sampled
		w.field(tI64, 8)
		w.i64(s.Start.UnixMicro())
		w.field(tI64, 9)
		w.i64(s.Duration.Microseconds())
		tags := map[string]any{"service": s.Service, "span.kind": "server"}
		for k, v := range s.Tags {
			tags[k] = v
		}
		if s.Error != nil {
			// name, message, code and type only: error data may echo input.
			tags["error"] = true
			tags["error.name"] = s.Error.Name
			tags["error.message"] = s.Error.Message
			tags["error.code"] = s.Error.Code
			tags["error.type"] = s.Error.Type
		}
		w.tags(10, tags)
		w.WriteByte(tStop)
	}
	w.WriteByte(tStop)
	return w.Bytes()
}
